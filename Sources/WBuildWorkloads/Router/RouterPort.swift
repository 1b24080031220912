import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// The host port the project's router is published on: `router.port` when the spec sets one,
/// else a port chosen once and remembered in `.wbuild/router-port`, so the app's URL stays the
/// same across runs and restarts of wbuild (a bookmark keeps working). The first choice starts
/// at a port derived from the project's root (20000–29999), so two projects rarely start at the
/// same one, and takes the first that is free on the router's host address.
enum RouterPort {
    /// Where the chosen port is remembered.
    static func memoryFile(stateDirectory: String) -> String { stateDirectory + "/router-port" }

    /// The port to publish on. Blocking (a file, test binds): call it off the cooperative pool.
    static func resolve(configured: Int?, host: String, projectRoot: String, stateDirectory: String) throws(RouterPortError) -> Int {
        if let configured { return configured }
        let file = memoryFile(stateDirectory: stateDirectory)
        if let bytes = try? AtomicFile.read(file), let remembered = Int(String(decoding: bytes, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)), (1...65535).contains(remembered) {
            return remembered
        }
        let start = 20000 + Int(stableHash(projectRoot) % 10000)
        guard let port = (0..<500).lazy.map({ 20000 + (start - 20000 + $0) % 10000 }).first(where: { isFree($0, host: host) }) else {
            throw RouterPortError("no free port for the router on \(host) between 20000 and 29999",
                                  hint: "set `router: { port: N }` in wbuild.json")
        }
        do {
            try AtomicFile.makeDirectories(stateDirectory)
            try AtomicFile.write(Array("\(port)\n".utf8), to: file)
        } catch {
            throw RouterPortError("cannot remember the router's port in \(file): \(error)",
                                  hint: "make \(stateDirectory) writable, or set `router: { port: N }` in wbuild.json")
        }
        return port
    }

    /// Whether a TCP listener can be bound to `host:port` now (with SO_REUSEADDR, as the router
    /// binds: connections of an earlier router waiting out TIME_WAIT do not count).
    static func isFree(_ port: Int, host: String) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// A port the kernel says is free on `host` now (bound to port 0 and read back).
    static func anyFreePort(host: String) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, ProbeRunner.dialable(host), &address.sin_addr) == 1 else { return nil }
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// FNV-1a of `text`: the same on every run and machine (unlike `hashValue`).
    static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// The router's port could not be chosen or remembered.
struct RouterPortError: Error, CustomStringConvertible {
    let description: String
    let hint: String?

    init(_ description: String, hint: String? = nil) {
        self.description = description
        self.hint = hint
    }
}
