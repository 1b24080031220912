import Synchronization
import WBuildSystem

/// Reads a file once and keeps its bytes: the supervisor binary is copied into every container.
final class FileBytesCache: Sendable {
    private let entries = Mutex<[String: [UInt8]]>([:])

    func load(_ path: String) throws -> [UInt8] {
        if let bytes = entries.withLock({ $0[path] }) { return bytes }
        guard let bytes = try AtomicFile.read(path) else {
            throw SystemError("open", path: path, errno: .noSuchFile)
        }
        entries.withLock { $0[path] = bytes }
        return bytes
    }
}
