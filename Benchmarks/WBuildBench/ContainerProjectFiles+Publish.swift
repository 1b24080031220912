import Foundation

/// The publish suite's Compose peer: the shop's three services, each with the `build:` it is
/// built from (Compose pushes only services that have one) and an `image:` in the registry
/// (`127.0.0.1:PORT/shop/web:TAG`), so `docker compose push` pushes exactly the images wbuild
/// publishes. It replaces the up suite's compose.yaml in the publish project.
extension ContainerProjectFiles {
    /// - Parameter images: service → the registry reference it pushes.
    static func writePublishCompose(at root: String, name: String, images: [String: String]) throws(BenchError) {
        let services = images.sorted { $0.key < $1.key }.map { service, reference in
            """
              \(service):
                build: ./\(service)
                image: \(reference)
            """
        }
        try write("name: \(name)\nservices:\n" + services.joined(separator: "\n") + "\n", to: root + "/compose.yaml")
    }
}
