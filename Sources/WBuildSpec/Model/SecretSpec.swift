/// A value wbuild hands to a container's environment (`secretEnv`) or to an image build
/// (`build.secretArgs`) without it ever being in `wbuild.json`, on screen or in `.wbuild/`:
/// the spec names only where it comes from.
public struct SecretSpec: Sendable, Equatable, Hashable {
    /// The environment variable or build argument it becomes.
    public var name: String
    public var source: SecretSource
    /// Where it is declared, e.g. `workloads.api.secretEnv.DB_PASSWORD`, for error messages.
    public var keyPath: String

    public init(name: String, source: SecretSource, keyPath: String) {
        self.name = name
        self.source = source
        self.keyPath = keyPath
    }
}

/// Where a secret's value is read from when the node that uses it is evaluated.
public enum SecretSource: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `{ file: "secrets/db" }`: a file relative to the project root that stays inside it; one
    /// trailing newline is dropped.
    case file(String)
    /// `{ env: "DB_PASSWORD" }`: a variable of the environment wbuild runs in.
    case environment(String)

    /// `file secrets/db` or `$DB_PASSWORD`: where it comes from, never what it is.
    public var description: String {
        switch self {
        case .file(let path): return "file \(path)"
        case .environment(let name): return "$\(name)"
        }
    }
}
