/// When the engine created an image, precise enough to order images built within one second
/// (the image list's `Created` is whole seconds; inspect's is RFC 3339 with nanoseconds).
struct ImageCreationTime: Comparable {
    var seconds: Int64
    var nanoseconds: Int

    /// From the list's whole seconds and, when known, inspect's `2026-11-29T13:39:36.081129186Z`
    /// (a fraction of any length; none counts as 0).
    init(seconds: Int64, rfc3339: String?) {
        self.seconds = seconds
        self.nanoseconds = rfc3339.map(Self.nanoseconds(in:)) ?? 0
    }

    static func nanoseconds(in text: String) -> Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }.prefix(9)
        let padded = digits + String(repeating: "0", count: 9 - digits.count)
        return Int(padded) ?? 0
    }

    static func < (lhs: ImageCreationTime, rhs: ImageCreationTime) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}
