import Foundation

/// The shape of a generated source tree: how many files, and the seed that fixes their
/// names, sizes and bytes.
struct TreeShape: Sendable, Equatable {
    var files: Int
    var seed: UInt64 = 0x5EED_B0B0

    /// Ten files per leaf directory; leaf directories under `fanout` parent directories
    /// (100k files: 10,000 leaves under 100 parents, 10,100 directories).
    var leafDirectories: Int { max(1, files / 10) }
    var fanout: Int { max(1, Int(Double(leafDirectories).squareRoot().rounded(.up))) }

    /// The path of file `index`, relative to the tree's root: `src/dPP/dLL/fNNNNNN.txt`.
    func relativePath(ofFile index: Int) -> String {
        let leaf = index % leafDirectories
        return "src/d\(leaf / fanout)/d\(leaf % fanout)/f\(index).txt"
    }
}

/// Writes a deterministic tree of small text files, as a repository's sources would be.
///
/// Sizes are log-uniform between 100 B and 8 KiB (most files small, a few large; mean about
/// 1.8 KiB), content is lines of pseudo-random letters from the seeded generator, so git's
/// compression and sha256sum see realistic text rather than zeros.
enum TreeGenerator {
    static let minimumSize = 100.0
    static let maximumSize = 8192.0

    /// Creates `shape.files` files under `root` (which must exist). Returns the total bytes written.
    @discardableResult
    static func generate(_ shape: TreeShape, at root: String) throws(BenchError) -> Int {
        var random = SeededGenerator(seed: shape.seed)
        var created = Set<String>()
        var total = 0
        var buffer = [UInt8]()
        for index in 0..<shape.files {
            let path = root + "/" + shape.relativePath(ofFile: index)
            let directory = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
            if !created.contains(directory) {
                try makeDirectories(directory)
                created.insert(directory)
            }
            let size = Int(minimumSize * pow(maximumSize / minimumSize, Double.random(in: 0..<1, using: &random)))
            fillText(&buffer, count: size, using: &random)
            try write(buffer, to: path)
            total += size
        }
        return total
    }

    /// Overwrites `path` with `bytes` through open/write/close, the way an editor's save does.
    static func write(_ bytes: [UInt8], to path: String) throws(BenchError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BenchError(.fileSystem, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw BenchError(.fileSystem, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    static func makeDirectories(_ path: String) throws(BenchError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BenchError(.fileSystem, "cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _".utf8)

    /// `count` bytes of letter soup in lines of 64 bytes.
    private static func fillText(_ buffer: inout [UInt8], count: Int, using random: inout SeededGenerator) {
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(count)
        var bits: UInt64 = 0
        var available = 0
        while buffer.count < count {
            if buffer.count % 64 == 63 {
                buffer.append(UInt8(ascii: "\n"))
                continue
            }
            if available < 6 {
                bits = random.next()
                available = 64
            }
            buffer.append(alphabet[Int(bits & 63)])
            bits >>= 6
            available -= 6
        }
    }
}
