#if canImport(Glibc)
import Glibc
#endif
import WBuildSystem

extension DirectoryWalker {
    /// Opens and walks one subdirectory; with `recorded`, first adds its entry (`path/`, its mode).
    mutating func visitDirectory(in directoryFD: Int32, name: String, relativePath: String, recorded: Bool,
                                 cache: StatCache, match: ContextMatch) {
        switch name.withCString({ FileSystemCalls.openDirectory(in: directoryFD, $0) }) {
        case .success(let childFD):
            if recorded {
                var status = stat()
                guard fstat(childFD, &status) == 0 else {
                    problems.append(ScanProblem(relativePath: relativePath, error: SystemError("fstat", path: relativePath, errno: .current)))
                    close(childFD)
                    return
                }
                files.append(WalkedFile(relativePath: relativePath + "/", kind: .directory, mode: UInt32(status.st_mode) & 0o7777,
                                        size: 0, content: .known(Self.emptyDigest)))
            }
            walk(directoryFD: childFD, relativeDirectory: relativePath, cache: cache, match: match)
        case .failure(let errno) where errno == .noSuchFile || errno == .notDirectory || errno.rawValue == ELOOP:
            return
        case .failure(let errno):
            problems.append(ScanProblem(relativePath: relativePath, error: SystemError("open", path: relativePath, errno: errno)))
        }
    }

    /// The digest of a directory entry (no content).
    static let emptyDigest = FileDigest.of([])

    /// A value all names of one inode share: the inode number mixed with the device.
    static func hardLinkID(_ status: stat) -> UInt64 {
        let device = UInt64(status.st_dev)
        return UInt64(status.st_ino) ^ (device << 40 | device >> 24)
    }
}
