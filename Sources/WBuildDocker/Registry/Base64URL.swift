import Foundation

/// RFC 4648 §5 base64url, with padding: how the engine's `X-Registry-Auth` is decoded (Go's
/// `base64.URLEncoding`). Standard base64 differs in `+` and `/`, which the engine would
/// reject, silently treating the credentials as empty.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// The bytes of `text`, or nil when it is not base64url.
    static func decode(_ text: String) -> [UInt8]? {
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return Data(base64Encoded: standard).map(Array.init)
    }
}
