/// Where a project's files live: its root (the directory of `wbuild.json`) and wbuild's own
/// state directory `.wbuild/` inside it.
public struct ProjectLayout: Sendable, Equatable {
    /// Absolute path of the project root.
    public let root: String

    public init(root: String) { self.root = root }

    public var stateDirectory: String { root + "/.wbuild" }
    public var stateFile: String { stateDirectory + "/state.json" }

    func sourceCache(_ name: String) -> String { stateDirectory + "/cache/source-\(name).bin" }
    func outputCache(_ name: String) -> String { stateDirectory + "/cache/outputs-\(name).bin" }

    /// `relative` resolved against the root (absolute paths pass through), without `.` segments.
    public func absolute(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        var parts = root.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
