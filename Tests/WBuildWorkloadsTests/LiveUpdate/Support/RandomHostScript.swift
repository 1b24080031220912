#if canImport(Glibc)
import Glibc
#endif
import Foundation
import WBuildTestSupport

/// Random edits of a real directory tree (`<root>/app`), as a user and their tools make them:
/// create, write, chmod (also to the same mode: a `touch`), mkdir, rmdir and `rm -rf`, rename
/// (files and whole trees, also over existing files), symlinks, and a path changing type. Each
/// step returns the project-relative paths the watcher reports for it (a removed or renamed
/// tree reports every entry in it, at both ends).
struct RandomHostScript {
    let root: String
    let syncDirectory = "app"
    private let names = ["a", "b", "c", "d"]
    private let linkTargets = ["a", "../b", "/etc/passwd", "c/d", ".", "/srv"]

    init(root: String) { self.root = root }

    /// `steps` random edits grouped into batches (one closes after about one edit in four), each
    /// batch applied one batch late — while the next is being made, as a slow sync meets a copy
    /// still running — then the last two; `edited` is told each edit.
    func runBatchedOneLate(steps: Int, random: inout SeededGenerator, edited: (String) -> Void,
                           apply: (Set<String>) async throws -> Void) async throws {
        var open = Set<String>()
        var closed: Set<String>?
        for _ in 0..<steps {
            guard let (what, reported) = try step(&random) else { continue }
            edited(what)
            open.formUnion(reported)
            if random.oneIn(4) {
                if let closed { try await apply(closed) }
                closed = open
                open = []
            }
        }
        if let closed { try await apply(closed) }
        try await apply(open)
    }

    /// One random edit: what it did and the paths it reports; nil when the drawn edit did not apply.
    func step(_ random: inout SeededGenerator) throws -> (String, Set<String>)? {
        let tree = try HostTreeSnapshot.read(root + "/" + syncDirectory)
        guard !tree.isEmpty else {
            try mkdir(syncDirectory)
            return ("mkdir app", [syncDirectory])
        }
        let directories = tree.filter { $0.value.directoryMode != nil && depth($0.key) < 3 }.keys.sorted()
        let entries = tree.keys.sorted()
        func fresh() -> String? {
            guard let directory = random.pick(directories), let name = random.pick(names) else { return nil }
            return join(directory, name)
        }
        switch Int.random(in: 0..<21, using: &random) {
        case 0..<5:  // create or write a file
            guard let path = fresh() else { return nil }
            if let node = tree[path], case .file = node {} else if tree[path] != nil { return nil }
            let size = random.oneIn(5) ? 0 : Int.random(in: 1...40, using: &random)
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            try write(app(path), bytes)
            return ("write \(path) (\(size) bytes)", [app(path)])
        case 5..<8:  // chmod (the same mode now and then: a touch)
            guard let path = random.pick(entries), let node = tree[path] else { return nil }
            let mode: UInt32
            switch node {
            case .symlink: return nil
            case .directory: mode = random.pick([0o755, 0o700, 0o750, 0o775]) ?? 0o755
            case .file: mode = random.pick([0o644, 0o600, 0o755, 0o640]) ?? 0o644
            }
            guard chmod(absolute(app(path)), mode_t(mode)) == 0 else { throw ScriptError("chmod \(path)") }
            return ("chmod \(String(mode, radix: 8)) \(path.isEmpty ? "." : path)", [app(path)])
        case 8..<11:  // mkdir
            guard let path = fresh(), tree[path] == nil else { return nil }
            try mkdir(app(path))
            return ("mkdir \(path)", [app(path)])
        case 11..<14:  // delete a file or link, rmdir, rm -rf (the sync root too, now and then)
            guard let path = random.pick(entries), !path.isEmpty || random.oneIn(6) else { return nil }
            let reported = Set(Self.subtree(path, in: tree).map(app))
            try FileManager.default.removeItem(atPath: absolute(app(path)))
            return ("rm -rf \(path.isEmpty ? "." : path)", reported)
        case 14..<17:  // rename a file, link or tree (over an existing file or empty directory too)
            guard let source = random.pick(entries.filter { !$0.isEmpty }), let destination = fresh(),
                  destination != source, !destination.hasPrefix(source + "/") else { return nil }
            var reported = Set(Self.subtree(source, in: tree).map(app)).union(Self.subtree(destination, in: tree).map(app))
            guard rename(absolute(app(source)), absolute(app(destination))) == 0 else { return nil }  // EISDIR, ENOTEMPTY…
            let after = try HostTreeSnapshot.read(root + "/" + syncDirectory)
            reported.formUnion(Self.subtree(destination, in: after).map(app))
            return ("mv \(source) \(destination)", reported)
        case 17..<19:  // symlink
            guard let path = fresh(), tree[path] == nil, let target = random.pick(linkTargets) else { return nil }
            guard symlink(target, absolute(app(path))) == 0 else { throw ScriptError("symlink \(path)") }
            return ("ln -s \(target) \(path)", [app(path)])
        case 19:  // a tree made elsewhere and moved in (as a download or a build output is)
            guard let path = fresh(), tree[path] == nil else { return nil }
            let outside = root + "-outside-\(UInt32.random(in: 0...UInt32.max, using: &random))"
            try FileManager.default.createDirectory(atPath: outside + "/x/y", withIntermediateDirectories: true)
            try Array("moved in".utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: outside + "/x/y/f")) }
            try FileManager.default.createDirectory(atPath: outside + "/empty", withIntermediateDirectories: true)
            guard rename(outside, absolute(app(path))) == 0 else { throw ScriptError("mv in \(path): errno \(errno)") }
            let after = try HostTreeSnapshot.read(root + "/" + syncDirectory)
            return ("mv <outside tree> \(path)", Set(Self.subtree(path, in: after).map(app)))
        default:  // change type: a file becomes a directory holding a file, or a directory a file
            guard let path = random.pick(entries.filter { !$0.isEmpty }), let node = tree[path] else { return nil }
            var reported = Set(Self.subtree(path, in: tree).map(app))
            try FileManager.default.removeItem(atPath: absolute(app(path)))
            if node.directoryMode != nil {
                try write(app(path), Array("was a directory".utf8))
            } else {
                try mkdir(app(path))
                try write(app(join(path, "inside")), Array("was a file".utf8))
                reported.insert(app(join(path, "inside")))
            }
            return ("retype \(path)", reported)
        }
    }

    /// `path` and every entry beneath it in `tree`.
    static func subtree(_ path: String, in tree: [String: InMemoryContainer.Node]) -> [String] {
        tree.keys.filter { $0 == path || path.isEmpty || $0.hasPrefix(path + "/") }
    }

    private func depth(_ path: String) -> Int { path.isEmpty ? 0 : path.split(separator: "/").count }
    private func join(_ directory: String, _ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
    private func app(_ path: String) -> String { path.isEmpty ? syncDirectory : syncDirectory + "/" + path }
    func absolute(_ projectPath: String) -> String { root + "/" + projectPath }

    private func mkdir(_ projectPath: String) throws {
        guard Glibc.mkdir(absolute(projectPath), 0o755) == 0 else { throw ScriptError("mkdir \(projectPath)") }
    }

    private func write(_ projectPath: String, _ bytes: [UInt8]) throws {
        let fd = open(absolute(projectPath), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ScriptError("open \(projectPath): errno \(errno)") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ScriptError("write \(projectPath)") }
    }
}

struct ScriptError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
