import WBuildCore
import WBuildDocker
@testable import WBuildWorkloads

/// A synced tree described line by line the same way on both sides, so host and container are
/// compared by what a user would see: `dir 755`, `file 644 <sha256>`, `link -> <target>`, keyed
/// by the path below the tree's root (`.` for the root).
enum ContainerTree {
    /// The tree at `root` in the container, listed with busybox `find`, `stat` and `sha256sum`
    /// (links are listed, never followed).
    static func read(_ root: String, in id: String, client: DockerClient) async throws -> [String: String] {
        let script = """
        cd \(root) || exit 3
        find . -type d -exec stat -c 'd %a %n' {} +
        find . -type f -exec stat -c 'f %a %n' {} +
        find . -type f -exec sha256sum {} +
        find . -type l -exec stat -c 'l %N' {} +
        """
        // A sync still running renames its temporary files (`.wbuild-tmp-…`) while `find` walks:
        // a name that vanished between readdir and stat is no fault of the tree; list again.
        var result = try await client.exec(id, command: ["sh", "-c", script])
        for _ in 0..<10 where result.exitCode != 0 && result.stderrText.contains(".wbuild-tmp-") {
            result = try await client.exec(id, command: ["sh", "-c", script])
        }
        guard result.exitCode == 0 else {
            if result.exitCode == 3 { return [:] }
            throw ScriptError("listing \(root) failed (\(result.exitCode)): \(result.stderrText)")
        }
        var modes: [String: String] = [:]
        var digests: [String: String] = [:]
        var tree: [String: String] = [:]
        for line in result.stdoutText.split(separator: "\n").map(String.init) {
            if line.hasPrefix("d ") || line.hasPrefix("f ") {
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { continue }
                if parts[0] == "d" { tree[key(parts[2])] = "dir \(parts[1])" } else { modes[key(parts[2])] = parts[1] }
            } else if line.hasPrefix("l ") {
                // l './name' -> 'target'
                guard let arrow = line.range(of: "' -> '") else { continue }
                let name = String(line[line.index(line.startIndex, offsetBy: 3)..<arrow.lowerBound])
                let target = String(line[arrow.upperBound...].dropLast())
                tree[key(name)] = "link -> \(target)"
            } else {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                digests[key(parts[1].trimmingLeadingSpaces)] = parts[0]
            }
        }
        for (path, mode) in modes { tree[path] = "file \(mode) \(digests[path] ?? "?")" }
        return tree
    }

    /// The host tree in the same form.
    static func describe(_ host: [String: InMemoryContainer.Node]) -> [String: String] {
        var tree: [String: String] = [:]
        for (path, node) in host {
            let name = path.isEmpty ? "." : path
            switch node {
            case .directory(let mode): tree[name] = "dir \(String(mode, radix: 8))"
            case .file(let bytes, let mode): tree[name] = "file \(String(mode, radix: 8)) \(SHA256.hash(bytes).hexString)"
            case .symlink(let target): tree[name] = "link -> \(target)"
            }
        }
        return tree
    }

    /// The first differences, for a failure's message.
    static func differences(host: [String: String], container: [String: String], limit: Int = 10) -> [String] {
        var lines: [String] = []
        for path in Set(host.keys).union(container.keys).sorted() where host[path] != container[path] {
            lines.append("\(path): host \(host[path] ?? "missing"), container \(container[path] ?? "missing")")
            if lines.count == limit { break }
        }
        return lines
    }

    private static func key(_ findPath: String) -> String {
        findPath == "." ? "." : String(findPath.dropFirst(2))
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
