/// A double-quoted string as JSON and YAML both write it: `\"`, `\\`, `\n`, `\r`, `\t`, and
/// `\uXXXX` for the other characters the format cannot hold as they are. Public so that the
/// event stream's JSON (`JSONText` in WBuild) writes its strings with the same escaper.
public enum DoubleQuoted {
    /// `text` in quotes; `mustEscape` names what else than C0 controls goes as `\uXXXX`.
    public static func quoted(_ text: String, mustEscape: (UInt32) -> Bool = { _ in false }) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || mustEscape(scalar.value) {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
