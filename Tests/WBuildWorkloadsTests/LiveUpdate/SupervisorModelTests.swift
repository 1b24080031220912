import Foundation
import Glibc
import Testing
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// `wbuild-init` run on the host (no container: a temporary directory is its whole world), driven
/// by `ControlChannel.apply` with random batches of operations, its tree compared after every
/// batch with a model of what the operations mean. What a user would notice: after any sequence
/// of syncs, the tree is what the operations say, links are links, and a failure is reported
/// exactly when one was due.
@Suite("Supervisor against its model")
struct SupervisorModelTests {
    @Test("random batches of writes, directories, links and removals leave the tree the model predicts")
    func randomBatchesMatchTheModel() async throws {
        var failures = 0, links = 0, nested = 0
        try await HostSupervisor.with { supervisor in
            for sequence in 0..<150 {
                var random = SeededGenerator(seed: 0x5EED_0000 + UInt64(sequence))
                let root = supervisor.directory.url("tree-\(sequence)")
                try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
                var model = TreeModel()
                for batch in 0..<4 {
                    let operations = (0..<random.next(below: 9)).map { _ in TreeModel.randomOperation(&random) }
                    let expectedFailure = operations.reduce(false) { model.apply($1) || $0 }
                    failures += expectedFailure ? 1 : 0
                    links += model.nodes.values.filter { if case .link = $0 { true } else { false } }.count
                    nested += model.nodes.keys.filter { $0.split(separator: "/").count >= 3 }.count
                    let absolute = operations.map { $0.rooted(at: root) }
                    let failure = await supervisor.apply(absolute)
                    let context = "sequence \(sequence) batch \(batch): \(operations)"
                    #expect((failure != nil) == expectedFailure, "\(context): \(failure ?? "no failure")")
                    var actual = try TreeModel.read(root)
                    for (path, node) in model.comparable where node == "dir" && actual[path]?.hasPrefix("dir(") == true {
                        actual[path] = "dir"
                    }
                    #expect(actual == model.comparable, "\(context)")
                    if actual != model.comparable { return }
                }
            }
        }
        // The sequences did reach the interesting cases: failures due, links, deep trees.
        #expect(failures > 20 && links > 50 && nested > 50, "failures \(failures), links \(links), nested \(nested)")
    }
}

/// The supervisor binary running on the host on a free port with a secret file of its own.
struct HostSupervisor: Sendable {
    let child: ChildProcess
    let endpoint: ControlEndpoint
    let directory: TemporaryDirectory

    static func with(_ body: (HostSupervisor) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-init-host")
        defer { directory.remove() }
        let secret = ControlEndpoint.freshToken()
        let secretFile = try directory.write("secret", secret)
        chmod(secretFile, 0o400)
        let port = try freeLoopbackPort()
        let child = try ChildProcess.spawn(ProcessLaunch(.argv([
            try SupervisorBinary.hostPath(), "--port", String(port), "--secret-file", secretFile, "--", "/bin/sleep", "3600",
        ])))
        let supervisor = HostSupervisor(child: child, endpoint: ControlEndpoint(host: "127.0.0.1", port: port, secret: secret),
                                        directory: directory)
        let endpoint = supervisor.endpoint
        let answering = await eventually(within: .seconds(10)) {
            let pid = try? await BlockingWork.run(name: "test-hello") {
                try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.processID() }
            }
            return (pid ?? 0) > 0
        }
        #expect(answering, "the supervisor did not answer on port \(port)")
        do {
            if answering { try await body(supervisor) }
        } catch {
            await child.terminate(grace: .seconds(2))
            throw error
        }
        await child.terminate(grace: .seconds(2))
    }

    /// Applies `operations`; the failure END reported, or nil.
    func apply(_ operations: [SyncOperation]) async -> String? {
        let endpoint = endpoint
        do {
            _ = try await BlockingWork.run(name: "test-apply") {
                try ControlChannel.withConnection(to: endpoint) { channel throws(LiveUpdateError) in try channel.apply(operations) }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// What the supervisor's operations mean, on paths relative to a root directory.
struct TreeModel {
    enum Node: Equatable, CustomStringConvertible {
        case file([UInt8], mode: UInt32)
        /// A directory; its mode when a MKDIR set it (a parent made on the way has the umask's).
        case directory(mode: UInt32?)
        case link(String)

        var description: String {
            switch self {
            case .file(let bytes, let mode): "file(\(bytes.count) bytes, \(String(mode, radix: 8)))"
            case .directory(let mode): "dir(\(mode.map { String($0, radix: 8) } ?? "-"))"
            case .link(let target): "link(\(target))"
            }
        }
    }

    var nodes: [String: Node] = [:]

    /// Applies one operation (paths relative, `/`-separated); true when the supervisor must
    /// report it failed (a parent is a file or a link, which it never follows).
    mutating func apply(_ operation: SyncOperation) -> Bool {
        let path = operation.containerPath
        let components = path.split(separator: "/").map(String.init)
        var ancestors: [String] = []
        for index in 1..<max(components.count, 1) {
            ancestors.append(components[..<index].joined(separator: "/"))
        }
        for ancestor in ancestors {
            switch nodes[ancestor] {
            case .file?, .link?:
                if case .remove = operation { return false } // nothing of that name is there
                return true
            default:
                continue
            }
        }
        if case .remove = operation {
            if ancestors.contains(where: { nodes[$0] == nil }) { return false }
            removeTree(path)
            return false
        }
        for ancestor in ancestors where nodes[ancestor] == nil {
            nodes[ancestor] = .directory(mode: nil)
        }
        switch operation {
        case .writeFile(_, let bytes, let mode):
            removeTree(path)
            nodes[path] = .file(bytes, mode: mode & 0o7777)
        case .makeDirectory(_, let mode):
            // A directory keeps what it holds; anything else there is replaced (it holds nothing).
            nodes[path] = .directory(mode: mode & 0o7777)
        case .makeSymlink(_, let target):
            removeTree(path)
            nodes[path] = .link(target)
        case .remove:
            break
        }
        return false
    }

    private mutating func removeTree(_ path: String) {
        nodes = nodes.filter { $0.key != path && !$0.key.hasPrefix(path + "/") }
    }

    /// The model as `read` reports a tree: directories made on the way without a mode compare by
    /// kind only.
    var comparable: [String: String] {
        nodes.mapValues { node in
            if case .directory(nil) = node { return "dir" }
            if case .directory(let mode?) = node { return "dir(\(String(mode, radix: 8)))" }
            return node.description
        }
    }

    /// The tree under `root` as `comparable` spells it (every directory with its mode).
    static func read(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        func walk(_ relative: String) throws {
            let absolute = relative.isEmpty ? root : "\(root)/\(relative)"
            for name in try FileManager.default.contentsOfDirectory(atPath: absolute) {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                var info = stat()
                guard lstat("\(root)/\(path)", &info) == 0 else { throw SystemError("lstat", path: path, errno: .current) }
                let mode = UInt32(info.st_mode & 0o7777)
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    result[path] = "dir(\(String(mode, radix: 8)))"
                    try walk(path)
                case S_IFLNK:
                    result[path] = Node.link(try FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/\(path)")).description
                default:
                    let bytes = [UInt8](FileManager.default.contents(atPath: "\(root)/\(path)") ?? Data())
                    result[path] = Node.file(bytes, mode: mode).description
                }
            }
        }
        try walk("")
        return result
    }

    static let names = ["a", "b", "c d", "é", "x.txt"]

    static func randomPath(_ random: inout SeededGenerator) -> String {
        (0...random.next(below: 3)).map { _ in names[random.next(below: names.count)] }.joined(separator: "/")
    }

    static func randomOperation(_ random: inout SeededGenerator) -> SyncOperation {
        let path = randomPath(&random)
        let modes: [UInt32] = [0o644, 0o600, 0o755, 0o700, 0o4755, 0o640]
        switch random.next(below: 20) {
        case 0..<8:
            let pieces = ["DEL /\n", "END\n", "PUT 644 3 /x\n", "\u{0}", "\r\n", "héllo", String(repeating: "z", count: 40)]
            let body = (0..<random.next(below: 4)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
            return .writeFile(containerPath: path, bytes: Array(body.utf8), mode: modes[random.next(below: modes.count)])
        case 8..<12:
            return .makeDirectory(containerPath: path, mode: [0o755, 0o700, 0o750, 0o1777][random.next(below: 4)])
        case 12..<15:
            let targets = ["a", "../b", "/etc", "c d/é", "nowhere", "DEL /\nEND"]
            return .makeSymlink(containerPath: path, target: targets[random.next(below: targets.count)])
        default:
            return .remove(containerPath: path)
        }
    }
}

extension SyncOperation {
    /// The same operation on `root` + `/` + its (relative) path.
    func rooted(at root: String) -> SyncOperation {
        switch self {
        case .writeFile(let path, let bytes, let mode): .writeFile(containerPath: "\(root)/\(path)", bytes: bytes, mode: mode)
        case .makeDirectory(let path, let mode): .makeDirectory(containerPath: "\(root)/\(path)", mode: mode)
        case .makeSymlink(let path, let target): .makeSymlink(containerPath: "\(root)/\(path)", target: target)
        case .remove(let path): .remove(containerPath: "\(root)/\(path)")
        }
    }
}
