/// Writes a `RenderValue` as JSON with two-space indentation, keys in insertion order, one
/// trailing newline: the same value always gives the same bytes (Terraform's `.tf.json`,
/// `values.schema.json`).
public enum JSONEmitter {
    public static func document(_ value: RenderValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: RenderValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 2)
        switch value {
        case .string(let text): out += string(text)
        case .integer(let number): out += String(number)
        case .number(let number): out += self.number(number)
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .raw(let text): out += text
        case .guarded(_, let inner): write(inner, indent: indent, into: &out)
        case .list(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 2, into: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .map(let map):
            guard !map.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, entry) in map.entries.enumerated() {
                out += pad + string(entry.key) + ": "
                write(entry.value, indent: indent + 2, into: &out)
                out += index == map.entries.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// A JSON string literal (RFC 8259 escapes).
    public static func string(_ text: String) -> String {
        DoubleQuoted.quoted(text)
    }

    /// A finite number in its shortest form (`0.5`, `2`), integers without a fraction.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
