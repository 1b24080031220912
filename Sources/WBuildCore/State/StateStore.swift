import Foundation
import Synchronization
import WBuildSystem

/// The persisted memory of past runs, in `.wbuild/state.json`.
///
/// The file is one header line `wbuild-state 1 <sha256 of the rest>` followed by JSON. It is
/// written atomically (temp file, fsync, rename); a file whose checksum or JSON does not hold
/// is discarded with a warning and never trusted. Thread-safe: the scheduler's node tasks
/// record into it concurrently.
public final class StateStore: Sendable {
    /// On-disk shape, versioned by the header.
    struct Contents: Codable {
        var records: [String: NodeRecord] = [:]
        var lastRuns: [String: LastRun] = [:]
    }

    public let path: String
    private let contents: Mutex<Contents>
    private let dirty = Atomic<Bool>(false)
    static let header = "wbuild-state 1 "

    /// An empty store that saves to `path`.
    public init(path: String) {
        self.path = path
        self.contents = Mutex(Contents())
    }

    /// Loads `path`. A missing file is an empty store; a corrupt one is an empty store plus a warning.
    public static func load(path: String) -> (store: StateStore, warning: String?) {
        let store = StateStore(path: path)
        let bytes: [UInt8]?
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            return (store, "could not read the state file \(path): \(error); starting from a clean state")
        }
        guard let bytes else { return (store, nil) }
        switch decode(bytes) {
        case .some(let contents):
            store.contents.withLock { $0 = contents }
            return (store, nil)
        case .none:
            return (store, "the state file \(path) is corrupt or truncated and was discarded; every node will be checked from scratch")
        }
    }

    static func decode(_ bytes: [UInt8]) -> Contents? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let head = String(decoding: bytes[..<newline], as: UTF8.self)
        guard head.hasPrefix(header) else { return nil }
        let expected = String(head.dropFirst(header.count))
        let body = Array(bytes[(newline + 1)...])
        guard SHA256.hash(body).hexString == expected else { return nil }
        guard var contents = try? JSONDecoder().decode(Contents.self, from: Data(body)) else { return nil }
        for (id, run) in contents.lastRuns {
            contents.lastRuns[id]?.reason = QueryRedaction.scrub(run.reason)
        }
        return contents
    }

    static func encode(_ contents: Contents) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = Array(try encoder.encode(contents))
        return Array((header + SHA256.hash(body).hexString + "\n").utf8) + body
    }

    public func record(_ id: NodeID) -> NodeRecord? {
        contents.withLock { $0.records[id.description] }
    }

    public func lastRun(_ id: NodeID) -> LastRun? {
        contents.withLock { $0.lastRuns[id.description] }
    }

    public func setRecord(_ record: NodeRecord?, for id: NodeID) {
        contents.withLock { $0.records[id.description] = record }
        dirty.store(true, ordering: .relaxed)
    }

    public func setLastRun(_ run: LastRun, for id: NodeID) {
        var run = run
        run.reason = QueryRedaction.scrub(run.reason)
        contents.withLock { $0.lastRuns[id.description] = run }
        dirty.store(true, ordering: .relaxed)
    }

    /// Updates a record's notes in place (no-op without a record).
    public func updateNotes(for id: NodeID, _ update: (inout [String: String]) -> Void) {
        contents.withLock { state in
            guard var record = state.records[id.description] else { return }
            update(&record.notes)
            state.records[id.description] = record
        }
        dirty.store(true, ordering: .relaxed)
    }

    /// Writes the store if anything changed since the last save.
    public func save() throws(SystemError) {
        guard dirty.exchange(false, ordering: .relaxed) else { return }
        let snapshot = contents.withLock { $0 }
        let bytes: [UInt8]
        do {
            bytes = try Self.encode(snapshot)
        } catch {
            throw SystemError("encode state", path: path, errno: Errno(rawValue: 0), hint: "\(error)")
        }
        try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: path))
        try AtomicFile.write(bytes, to: path)
    }
}
