import Foundation
import Testing
import WBuildTestSupport

/// A failed `up` leaves nothing that a later `up` trusts.
extension WorkloadEndToEndTests {
    /// A TCP socket listening on 127.0.0.1 at a port the kernel chose, closed by `close()`.
    final class BusyPort {
        let fd: Int32
        let port: Int
        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard fd >= 0, bound == 0, listen(fd, 1) == 0 else {
                _ = Glibc.close(fd)
                throw POSIXError(.EADDRINUSE)
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
            _ = length
        }
        func close() { _ = Glibc.close(fd) }
    }

    @Test func anUpThatFailedOnABusyHostPortIsNotTrustedOnceThePortIsFree() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let busy = try BusyPort()
        let spec = try dir.read("wbuild.json").replacingOccurrences(of: "container: 8080, protocol", with: "container: 8080, host: \(busy.port), protocol")
        try dir.write("wbuild.json", spec)
        let failed = try WBuildBinary.run(["up", "--json", "--timeout", "30"], in: dir.path, timeout: .seconds(180))
        busy.close()
        #expect(failed.exitCode == 1, "\(failed.stdout.suffix(2000))")
        #expect(failed.status("workload:web") == "failed")

        let again = try WBuildBinary.run(["up", "--json"], in: dir.path, timeout: .seconds(180))
        #expect(again.exitCode == 0, "\(again.stdout.suffix(2000)) \(again.stderr)")
        #expect(again.status("workload:web") == "built", "the half-made workload was trusted")
        #expect(url(of: again) == "http://127.0.0.1:\(busy.port)")
        #expect(get("http://127.0.0.1:\(busy.port)/")?.contains("hello") == true, "nothing listens on the workload's URL")
        #expect(try WBuildBinary.run(["up", "--json"], in: dir.path).status("workload:web") == "cached")
    }
}

extension WorkloadEndToEndTests {
    @Test func replicasThatNeverGotReadyAreNotTrustedByTheNextUp() throws {
        let project = "wbt-unready-\(UUID().uuidString.prefix(6).lowercased())"
        let dir = try TemporaryDirectory()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        try dir.write("wbuild.json", """
        { name: "\(project)", workloads: { web: { image: "wbuild-samples/busybox:1",
            entrypoint: ["httpd", "-f", "-p", "8080", "-h", "/"],
            ports: [{ container: 8080, protocol: "http" }],
            readiness: { http: { path: "/never-there", port: 8080 }, intervalMs: 100 } } } }
        """)
        let first = try WBuildBinary.run(["up", "--json", "--timeout", "2"], in: dir.path, timeout: .seconds(120))
        #expect(first.exitCode == 1, "\(first.stdout.suffix(2000))")
        let second = try WBuildBinary.run(["up", "--json", "--timeout", "2"], in: dir.path, timeout: .seconds(120))
        #expect(second.exitCode == 1, "an unready workload was called up to date: \(second.stdout.suffix(2000))")
        #expect(second.status("workload:web") == "failed")
    }
}

extension WorkloadEndToEndTests {
    /// After an engine outage the engine sometimes cannot remove a replica's container at once
    /// ("device or resource busy"), and its name stays taken: the next create of that replica
    /// met "Conflict. The container name … is already in use" and the workload stayed down.
    @Test func aContainerLeftWithAReplicasNameIsRemovedAndTheReplicaMade() throws {
        let (dir, project) = try helloProject()
        defer { DockerCLI.cleanUp(project: project); dir.remove() }
        let first = try WBuildBinary.run(["up", "--json"], in: dir.path, timeout: .seconds(180))
        try #require(first.exitCode == 0, "\(first.stdout.suffix(2000)) \(first.stderr)")
        let names = (DockerCLI.run(["ps", "-a", "--filter", "label=dev.wbuild.project=\(project)", "--filter", "label=dev.wbuild.replica",
                                    "--format", "{{.Names}}"]) ?? "").split(separator: "\n").map(String.init)
            .filter { !$0.contains("door") }
        let name = try #require(names.first, "no replica container of \(project)")
        let down = try WBuildBinary.run(["down"], in: dir.path, timeout: .seconds(120))
        try #require(down.exitCode == 0, "\(down.stderr)")

        // A container of that name that wbuild does not know (no labels), as the engine leaves one.
        let stray = DockerCLI.run(["create", "--name", name, "wbuild-samples/busybox:1", "true"])
        try #require(stray != nil, "could not create the stray container \(name)")
        defer { _ = DockerCLI.run(["rm", "-f", name]) }
        let again = try WBuildBinary.run(["up", "--json"], in: dir.path, timeout: .seconds(180))
        #expect(again.exitCode == 0, "\(again.stdout.suffix(2000)) \(again.stderr)")
        let page = url(of: again).flatMap { get($0 + "/") }
        #expect(page?.contains("hello") == true, "the workload does not answer: \(again.stdout.suffix(1000))")
        #expect(DockerCLI.run(["inspect", "--format", "{{index .Config.Labels \"dev.wbuild.project\"}}", name]) == project,
                "the container named \(name) is not wbuild's replica")
    }
}
