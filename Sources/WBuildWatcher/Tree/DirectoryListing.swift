#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

/// One entry of a directory as `readdir(3)` reports it (symlinks are not followed).
struct DirectoryEntry: Equatable {
    var name: String
    var isDirectory: Bool
}

/// Lists directories with `opendir`/`readdir`, skipping `.` and `..`.
enum DirectoryListing {
    /// The entries of `absolutePath`, or the error from `opendir` (e.g. `ENOENT` when it
    /// vanished, which callers treat as empty).
    static func entries(of absolutePath: String) -> Result<[DirectoryEntry], Errno> {
        guard let stream = opendir(absolutePath) else { return .failure(.current) }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let end = raw.firstIndex(of: 0) ?? raw.count
                return String(decoding: raw[..<end], as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            let isDirectory: Bool
            if type == UInt8(DT_UNKNOWN) {
                isDirectory = FileStamp.read(RelativePath.absolute(root: absolutePath, name))?.isDirectory ?? false
            } else {
                isDirectory = type == UInt8(DT_DIR)
            }
            entries.append(DirectoryEntry(name: name, isDirectory: isDirectory))
        }
        return .success(entries)
    }
}
