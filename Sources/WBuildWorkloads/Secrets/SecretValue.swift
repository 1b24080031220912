/// A secret's value in memory. It prints as `(secret)` in every form (`description`,
/// `debugDescription`, `dump`, string interpolation), so a log line or an error that carries
/// one by mistake shows nothing; only `revealed` gives the text, for the container's
/// environment and the build's arguments.
public struct SecretValue: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The text, for the one place that must hand it over (the engine request body or query).
    public let revealed: String

    public init(_ revealed: String) { self.revealed = revealed }

    public var description: String { "(secret)" }
    public var debugDescription: String { "(secret)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// One resolved secret: the name it goes under, its value, and a keyed digest of both that
/// fingerprints use instead of the value.
public struct ResolvedSecret: Sendable, Equatable, Hashable {
    public var name: String
    public var value: SecretValue
    /// HMAC-SHA-256 under the project's fingerprint key (see `FingerprintKey`), hex.
    public var digest: String

    public init(name: String, value: SecretValue, digest: String) {
        self.name = name
        self.value = value
        self.digest = digest
    }
}
