/// Character classes of the JSON5 grammar (https://spec.json5.org/).
extension Unicode.Scalar {
    var isJSON5LineTerminator: Bool {
        self == "\n" || self == "\r" || self == "\u{2028}" || self == "\u{2029}"
    }

    var isJSON5Whitespace: Bool {
        switch self {
        case "\t", "\u{0B}", "\u{0C}", " ", "\u{A0}", "\u{FEFF}":
            return true
        default:
            return properties.generalCategory == .spaceSeparator
        }
    }

    var isJSON5IdentifierStart: Bool {
        self == "$" || self == "_" || properties.isXIDStart
    }

    var isJSON5IdentifierPart: Bool {
        self == "$" || self == "_" || self == "\u{200C}" || self == "\u{200D}" || properties.isXIDContinue
    }

    var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    var hexDigitValue: Int? {
        switch self {
        case "0"..."9": return Int(value - 48)
        case "a"..."f": return Int(value - 97 + 10)
        case "A"..."F": return Int(value - 65 + 10)
        default: return nil
        }
    }

    /// How a message shows this character: `x` in backticks, or U+XXXX when it would not print.
    var quotedForMessage: String {
        switch properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .surrogate, .privateUse, .unassigned:
            let hex = String(value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        default:
            return "`\(self)`"
        }
    }
}
