/// Reading credentials failed: what, where, and what to do (`message`, `hint`).
///
/// Never holds a secret: a helper's stdout, a password, a token or an `auth` field are left
/// out of both texts; a helper's stderr is quoted (its first line, shortened).
public struct CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed, naming the registry, the config file and the helper when there is one.
    public var message: String
    /// What to do about it.
    public var hint: String

    public init(message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message)\n  hint: \(hint)" }
}
