#if canImport(Glibc)
import Glibc
#endif

/// A process group: a child spawned by `ChildProcess` leads its own group (its pgid is
/// its pid), and everything it starts (`sh -c 'server & worker'`) joins that group unless it
/// asks otherwise, so signalling the group reaches the whole tree.
struct ProcessGroup: Sendable, Equatable {
    let id: pid_t

    /// `kill(-pgid, signal)`. Returns false when the group has no members left (`ESRCH`).
    @discardableResult
    func send(_ signal: Int32) -> Bool {
        kill(-id, signal) == 0
    }

    /// Whether any member is still running. Zombies do not count: once the leader is
    /// reaped, its orphans belong to init, which in some containers never reaps them.
    ///
    /// `kill(-pgid, 0)` answers "no members" cheaply; only when members exist does this
    /// scan `/proc` (reads of procfs that do not block).
    var hasRunningMembers: Bool {
        guard send(0) else { return false }
        return !runningMembers().isEmpty
    }

    /// The pids of the group's members that are not zombies, from `/proc/<pid>/stat`.
    func runningMembers() -> [pid_t] {
        ProcessTable.entries().filter { $0.processGroup == id && $0.state != "Z" && $0.state != "X" }.map(\.pid)
    }
}

/// Reads `/proc/<pid>/stat` for every process (Linux only).
enum ProcessTable {
    struct Entry: Sendable, Equatable {
        var pid: pid_t
        /// `R`, `S`, `D`, `Z` (zombie), `T`, …
        var state: Character
        var parent: pid_t
        var processGroup: pid_t
    }

    static func entries() -> [Entry] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var result: [Entry] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), let entry = entry(for: pid) else { continue }
            result.append(entry)
        }
        return result
    }

    /// One process's entry; `nil` when it is gone.
    static func entry(for pid: pid_t) -> Entry? {
        guard let fd = try? FileDescriptor.open("/proc/\(pid)/stat", O_RDONLY) else { return nil }
        defer { fd.close() }
        guard case .success(let bytes) = fd.readToEnd() else { return nil }
        return parseStat(String(decoding: bytes, as: UTF8.self), pid: pid)
    }

    /// "1234 (my (odd) name) S 1 1234 …": the command name may hold spaces and parentheses,
    /// so the fields are counted from the last ")".
    static func parseStat(_ text: String, pid: pid_t) -> Entry? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 3, let state = fields[0].first,
              let parent = pid_t(fields[1]), let group = pid_t(fields[2]) else { return nil }
        return Entry(pid: pid, state: state, parent: parent, processGroup: group)
    }
}
