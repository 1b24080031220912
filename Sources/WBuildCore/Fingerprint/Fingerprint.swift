/// A SHA-256 over everything that decides a node's result. Equal fingerprints mean
/// "same inputs, same settings": the node need not run again.
public struct Fingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    public init(hex: String) { self.hex = hex }
    public init(digest: [UInt8]) { self.hex = digest.hexString }

    /// The first 16 hex digits, used in image tags.
    public var short: String { String(hex.prefix(16)) }
    public var description: String { short }

    public init(from decoder: any Decoder) throws {
        hex = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Builds a fingerprint from labelled fields. Each field is length-prefixed, so
/// `("ab","c")` and `("a","bc")` never collide, and labels keep fields from sliding into one another.
public struct FingerprintBuilder: Sendable {
    private var hasher = SHA256()

    public init(kind: String) { add("kind", kind) }

    public mutating func add(_ label: String, _ value: String) {
        field(label, Array(value.utf8))
    }

    public mutating func add(_ label: String, _ values: [String]) {
        add(label + ".count", String(values.count))
        for (index, value) in values.enumerated() { add("\(label)[\(index)]", value) }
    }

    public mutating func add(_ label: String, pairs: [(String, String)]) {
        add(label + ".count", String(pairs.count))
        for (key, value) in pairs { add("\(label).\(key)", value) }
    }

    public mutating func add(_ label: String, _ fingerprint: Fingerprint) { add(label, fingerprint.hex) }

    public mutating func add(_ label: String, bytes: [UInt8]) { field(label, bytes) }

    public mutating func finish() -> Fingerprint { Fingerprint(digest: hasher.finalize()) }

    private mutating func field(_ label: String, _ bytes: [UInt8]) {
        lengthPrefixed(Array(label.utf8))
        lengthPrefixed(bytes)
    }

    private mutating func lengthPrefixed(_ bytes: [UInt8]) {
        var length = UInt64(bytes.count).bigEndian
        withUnsafeBytes(of: &length) { hasher.update($0) }
        bytes.withUnsafeBytes { hasher.update($0) }
    }
}
