@testable import WBuildWorkloads

extension InMemoryContainer {
    /// The container of an image built from the host tree at `hostTree` (`<project>/app`): that
    /// tree at `/srv/app`, under a `/srv` directory.
    static func image(of hostTree: String) throws -> InMemoryContainer {
        var container = InMemoryContainer()
        container.nodes["/srv"] = .directory(mode: 0o755)
        for (path, node) in try HostTreeSnapshot.read(hostTree) {
            container.nodes[path.isEmpty ? "/srv/app" : "/srv/app/" + path] = node
        }
        return container
    }
}
