import Foundation

/// A fresh directory under /tmp that holds one run's trees, removed when the run ends.
struct BenchDirectory: Sendable {
    let path: String

    /// Creates `/tmp/wbuild-bench.XXXXXX` (mkdtemp).
    static func create() throws(BenchError) -> BenchDirectory {
        var template = Array("/tmp/wbuild-bench.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw BenchError(.fileSystem, "cannot create a temporary directory under /tmp: \(String(cString: strerror(errno)))",
                             hint: "check that /tmp exists, is writable and has space (the 100k tree needs about 0.5 GB with git)")
        }
        return BenchDirectory(path: String(cString: made))
    }

    /// A new empty subdirectory.
    func subdirectory(_ name: String) throws(BenchError) -> String {
        let path = self.path + "/" + name
        try TreeGenerator.makeDirectories(path)
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
