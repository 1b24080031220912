#if canImport(Glibc)
import Glibc
#endif

/// Keeps a directory of wbuild's own state private to its owner: the directory and every
/// directory below it `0700`, every file `0600` (group and other bits cleared with `chmod`).
///
/// New files and directories are created private (`AtomicFile`'s defaults); this repairs trees
/// written by older versions, whose state was world-readable. Symlinks are neither followed nor
/// changed (`lstat`, and `chmod` only on what `lstat` saw as a file or directory).
public enum PrivateTree {
    /// Restricts `directory` and everything in it. A missing directory is fine (nothing to do).
    /// - Throws: the first `lstat`, `opendir` or `chmod` that failed, with its path.
    public static func restrict(_ directory: String) throws(SystemError) {
        var info = stat()
        guard lstat(directory, &info) == 0 else {
            if Errno.current == .noSuchFile { return }
            throw SystemError("lstat", path: directory, errno: .current)
        }
        try restrict(directory, info)
    }

    private static func restrict(_ path: String, _ info: stat) throws(SystemError) {
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            try clearGroupAndOther(path, info)
            guard let stream = opendir(path) else { throw SystemError("opendir", path: path, errno: .current) }
            var children: [String] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { children.append(path + "/" + name) }
            }
            closedir(stream)
            for child in children {
                var childInfo = stat()
                guard lstat(child, &childInfo) == 0 else {
                    if Errno.current == .noSuchFile { continue }  // removed meanwhile
                    throw SystemError("lstat", path: child, errno: .current)
                }
                try restrict(child, childInfo)
            }
        case S_IFREG:
            try clearGroupAndOther(path, info)
        default:
            return  // symlinks, sockets, fifos: left alone
        }
    }

    private static func clearGroupAndOther(_ path: String, _ info: stat) throws(SystemError) {
        let mode = info.st_mode & 0o7777
        guard mode & 0o077 != 0 else { return }
        if chmod(path, mode & ~0o077) != 0 {
            throw SystemError("chmod", path: path, errno: .current,
                              hint: "wbuild keeps its state private to you; fix the owner of this file or remove it")
        }
    }
}
