import Foundation
@testable import WBuildWorkloads

/// A host directory tree as the sync should mirror it: every entry (`lstat`, links not
/// followed) relative to the root, `""` being the root itself.
enum HostTreeSnapshot {
    static func read(_ root: String) throws -> [String: InMemoryContainer.Node] {
        var result: [String: InMemoryContainer.Node] = [:]
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? root : root + "/" + relative
            switch try HostEntry.read(path) {
            case .file(let bytes, let mode): result[relative] = .file(bytes: bytes, mode: mode)
            case .symlink(let target): result[relative] = .symlink(target: target)
            case .directory(let mode):
                result[relative] = .directory(mode: mode)
                for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                    pending.append(relative.isEmpty ? name : relative + "/" + name)
                }
            case .gone, .special: continue
            }
        }
        return result
    }

    /// The first differences between `host` and `container`, for a failure's message.
    static func differences(host: [String: InMemoryContainer.Node], container: [String: InMemoryContainer.Node],
                            limit: Int = 8) -> [String] {
        var lines: [String] = []
        for path in Set(host.keys).union(container.keys).sorted() where host[path] != container[path] {
            lines.append("\(path.isEmpty ? "." : path): host \(host[path].map(\.description) ?? "missing"), container \(container[path].map(\.description) ?? "missing")")
            if lines.count == limit { break }
        }
        return lines
    }
}
