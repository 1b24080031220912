/// Memory sizes as written in the project file, in Kubernetes quantity style:
/// `k`/`K`, `M`, `G`, `T` are powers of 1000; `Ki`, `Mi`, `Gi`, `Ti` powers of 1024;
/// no suffix means bytes. `"1.5Gi"` is allowed; the result is rounded down to whole bytes.
enum MemorySize {
    static let examples = #""256Mi", "1Gi", "512M", "1024k" or a number of bytes"#

    /// Bytes, or nil when `text` is not a size (or is zero, negative, or absurdly large).
    static func parseBytes(_ text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        var numberEnd = 0
        while numberEnd < scalars.count, scalars[numberEnd].isASCIIDigit || scalars[numberEnd] == "." {
            numberEnd += 1
        }
        let numberText = String(String.UnicodeScalarView(scalars[..<numberEnd]))
        let suffix = String(String.UnicodeScalarView(scalars[numberEnd...]))
        guard !numberText.isEmpty, numberText.first != ".", numberText.last != ".",
              let number = Double(numberText), let multiplier = multipliers[suffix] else { return nil }
        let bytes = (number * multiplier).rounded(.down)
        guard bytes >= 1, bytes <= 9_007_199_254_740_992 else { return nil }  // 2^53: exact in a Double
        return Int(exactly: bytes)
    }

    /// A hint for a suffix people often mean differently (`m` is milli in Kubernetes, MiB in Docker).
    static func hint(for text: String) -> String? {
        if text.hasSuffix("m") || text.hasSuffix("mb") || text.hasSuffix("MB") || text.hasSuffix("Mb") {
            return "write `Mi` for mebibytes (1048576 bytes) or `M` for megabytes (1000000 bytes)"
        }
        if text.hasSuffix("g") || text.hasSuffix("gb") || text.hasSuffix("GB") {
            return "write `Gi` for gibibytes or `G` for gigabytes"
        }
        return nil
    }

    private static let multipliers: [String: Double] = [
        "": 1,
        "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
        "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
    ]
}
