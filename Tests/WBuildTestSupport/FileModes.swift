import Foundation

/// Permission bits of files, for tests that check what wbuild leaves readable to others.
public enum FileModes {
    /// The permission bits (`st_mode & 0o7777`) of `path`, not following a symlink; nil when it is missing.
    public static func mode(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o7777)
    }

    /// Every directory and regular file under `root` (and `root` itself) whose mode lets its
    /// group or others in, as `path mode` lines (octal); empty when all of them are private.
    public static func notPrivate(under root: String) -> [String] {
        var found: [String] = []
        var pending = [root]
        while let path = pending.popLast() {
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFDIR || kind == S_IFREG else { continue }
            let mode = Int(info.st_mode & 0o7777)
            let expected = kind == S_IFDIR ? 0o700 : 0o600
            if mode & 0o077 != 0 || (kind == S_IFDIR && mode != expected) {
                found.append("\(path) \(String(mode, radix: 8))")
            }
            if kind == S_IFDIR {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { pending.append(path + "/" + name) }
            }
        }
        return found.sorted()
    }
}
