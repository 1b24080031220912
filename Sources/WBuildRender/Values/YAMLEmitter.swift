/// Writes a `RenderValue` as block-style YAML that any YAML 1.1 or 1.2 reader (kubectl, Helm,
/// PyYAML, Docker's compose loader) reads back as the same value.
///
/// Strings are written plain only when no reader could take them for anything else (a number,
/// a boolean in either YAML version, null, a key/value, a comment, an anchor…), otherwise
/// double-quoted with escapes; so `"no"`, `"8080"`, `"1e3"` and `"on"` stay strings. Lists under
/// a key are indented by two spaces; empty maps and lists are `{}` and `[]`.
public enum YAMLEmitter {
    /// The document, ending in a newline.
    public static func document(_ value: RenderValue) -> String {
        var out = ""
        switch value {
        case .map(let map) where !map.isEmpty:
            writeMap(map, indent: 0, into: &out)
        case .list(let items) where !items.isEmpty:
            writeList(items, indent: 0, into: &out)
        default:
            out = inline(value) + "\n"
        }
        return out
    }

    /// Several documents separated by `---`.
    public static func documents(_ values: [RenderValue]) -> String {
        values.map(document).joined(separator: "---\n")
    }

    private static func writeMap(_ map: RenderMap, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for entry in map.entries {
            let key = scalar(entry.key)
            if case .guarded(let condition, let inner) = entry.value {
                // `{{-` eats the line break before it, so the entry stays on a line of its own.
                out += "\(pad){{- if \(condition) }}\n"
                writeMap(RenderMap([RenderMap.Entry(key: entry.key, value: inner)]), indent: indent, into: &out)
                out += "\(pad){{- end }}\n"
                continue
            }
            switch entry.value {
            case .map(let inner) where !inner.isEmpty:
                out += "\(pad)\(key):\n"
                writeMap(inner, indent: indent + 2, into: &out)
            case .list(let items) where !items.isEmpty:
                out += "\(pad)\(key):\n"
                writeList(items, indent: indent + 2, into: &out)
            default:
                out += "\(pad)\(key): \(inline(entry.value))\n"
            }
        }
    }

    private static func writeList(_ items: [RenderValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .map(let inner) where !inner.isEmpty:
                // The first entry shares the dash's line; the rest line up under it. A guarded
                // entry would leave the dash alone on its line: an unguarded one goes first.
                var nested = ""
                writeMap(unguardedFirst(inner), indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .list(let inner) where !inner.isEmpty:
                var nested = ""
                writeList(inner, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            default:
                out += "\(pad)- \(inline(item))\n"
            }
        }
    }

    private static func unguardedFirst(_ map: RenderMap) -> RenderMap {
        guard case .guarded = map.entries[0].value,
              let index = map.entries.firstIndex(where: { if case .guarded = $0.value { return false } else { return true } })
        else { return map }
        var entries = map.entries
        entries.insert(entries.remove(at: index), at: 0)
        return RenderMap(entries)
    }

    /// A scalar, or an empty collection, on one line.
    static func inline(_ value: RenderValue) -> String {
        switch value {
        case .string(let text): return scalar(text)
        case .integer(let number): return String(number)
        case .number(let number): return JSONEmitter.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .raw(let text): return text
        case .guarded(_, let inner): return inline(inner)
        case .list: return "[]"
        case .map: return "{}"
        }
    }

    /// `text` plain when that is unambiguous, else double-quoted.
    static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : quoted(text)
    }

    /// Double-quoted, with what YAML may not hold as it is escaped too: DEL, C1 controls,
    /// the line and paragraph separators and the byte-order mark.
    static func quoted(_ text: String) -> String {
        DoubleQuoted.quoted(text) { value in
            value == 0x7F || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029 || value == 0xFEFF
        }
    }

    /// Words YAML 1.1 or 1.2 reads as booleans or null.
    private static let reservedWords: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    private static let indicatorStarts: Set<Unicode.Scalar> = [
        "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", " ", "=", "<",
    ]

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if indicatorStarts.contains(first) || last == " " || last == ":" { return false }
        if reservedWords.contains(text.lowercased()) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains("\t") { return false }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0.value > 0x7E }) { return false }
        if looksNumeric(text) { return false }
        return true
    }

    /// Anything a resolver might take for a number, a date or a sexagesimal: begins with a
    /// digit, or with `+`, `-` or `.` before a digit, or is `.inf`/`.nan`.
    private static func looksNumeric(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        if isDigit(scalars[0]) { return true }
        if scalars.count > 1, ["+", "."].contains(scalars[0]), isDigit(scalars[1]) { return true }
        let lower = text.lowercased()
        return [".inf", "+.inf", "-.inf", ".nan"].contains(lower)
    }
}
