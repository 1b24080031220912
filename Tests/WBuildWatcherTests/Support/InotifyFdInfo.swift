import Foundation
import WBuildWatcher

/// Reads what the kernel says a watcher's inotify descriptor watches
/// (`/proc/self/fdinfo/N` lists one `inotify wd:… ino:… sdev:…` line per watch).
enum InotifyFdInfo {
    struct NotInotify: Error {}

    /// Inode numbers of every directory the watcher's inotify instance watches.
    static func watchedInodes(of watcher: FileWatcher) throws -> Set<UInt64> {
        for fd in watcher.descriptors {
            let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
            guard link == "anon_inode:inotify" else { continue }
            return try watchedInodes(fd: fd)
        }
        throw NotInotify()
    }

    static func watchedInodes(fd: Int32) throws -> Set<UInt64> {
        let info = try String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8)
        var inodes: Set<UInt64> = []
        for line in info.split(separator: "\n") where line.hasPrefix("inotify wd:") {
            guard let field = line.split(separator: " ").first(where: { $0.hasPrefix("ino:") }),
                  let inode = UInt64(field.dropFirst(4), radix: 16) else { continue }
            inodes.insert(inode)
        }
        return inodes
    }

    static func inode(of path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard let number = attributes[.systemFileNumber] as? NSNumber else { throw NotInotify() }
        return number.uint64Value
    }
}
