/// Why a node ran, or why it did not: every run records one, so `graph` and `--json` can explain.
public enum RunReason: Sendable, Codable, Equatable, CustomStringConvertible {
    case neverBuilt
    case forced
    /// Files the node depends on changed (paths relative to the project).
    case inputsChanged([String])
    /// Nodes it consumes produced a different output.
    case upstreamChanged([NodeID])
    /// Its own settings (command, env, build args, …) changed.
    case settingsChanged
    /// The recorded output is gone or altered.
    case outputMissing(String)
    case upToDate
    /// Not run: its output already exists (e.g. "wbuild/shop-api:3f2a… is in the engine").
    case alreadyExists(String)
    /// Not run because an input failed.
    case inputFailed([NodeID])

    public var description: String {
        switch self {
        case .neverBuilt: return "never built"
        case .forced: return "forced"
        case .inputsChanged(let paths):
            if paths.isEmpty { return "inputs changed" }
            let shown = paths.prefix(3).joined(separator: ", ")
            return paths.count > 3 ? "inputs changed: \(shown) and \(paths.count - 3) more" : "inputs changed: \(shown)"
        case .upstreamChanged(let ids):
            return "upstream changed: \(ids.map(\.description).joined(separator: ", "))"
        case .settingsChanged: return "settings changed"
        case .outputMissing(let why): return "output missing: \(why)"
        case .upToDate: return "up to date"
        case .alreadyExists(let what): return "up to date: \(what)"
        case .inputFailed(let ids): return "blocked by failed input: \(ids.map(\.description).joined(separator: ", "))"
        }
    }
}
