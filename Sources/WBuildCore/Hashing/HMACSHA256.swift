/// HMAC-SHA-256 (RFC 2104): a keyed digest. Without the key, a digest says nothing about the
/// message, so it can stand for a secret in a fingerprint without making a short secret
/// guessable offline the way a plain SHA-256 of it would.
public enum HMACSHA256 {
    static let blockSize = 64

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
