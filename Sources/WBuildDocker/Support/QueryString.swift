import Foundation

/// Encodes query parameters for engine paths; parameters with a nil value are left out.
enum QueryString {
    static func encode(_ items: [(String, String?)]) -> String {
        let present = items.compactMap { key, value in value.map { (key, $0) } }
        guard !present.isEmpty else { return "" }
        return "?" + present.map { "\(escape($0))=\(escape($1))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(Character(UnicodeScalar(byte)))
            default:
                output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }
}

/// Small helpers for path segments.
enum PathSegment {
    /// Escapes one path segment (an image name such as `127.0.0.1:5000/app:1` keeps its `/` and `:`).
    static func escapeName(_ name: String) -> String {
        QueryString.escape(name).replacingOccurrences(of: "%2F", with: "/").replacingOccurrences(of: "%3A", with: ":")
    }
}
