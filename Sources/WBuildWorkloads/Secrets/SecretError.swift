/// A secret that could not be read: which one (its key path in `wbuild.json`), from where,
/// why, and what to do. It never contains the value.
public struct SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `workloads.api.secretEnv.DB_PASSWORD`.
    public var keyPath: String
    public var message: String
    public var hint: String

    public init(keyPath: String, _ message: String, hint: String) {
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(keyPath): \(message)" }
}
