@testable import WBuildSpec

/// A compact canonical rendering of a value (no locations), so tests can compare trees as text.
func canonical(_ value: JSONValue) -> String {
    switch value.kind {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number):
        if let integer = number.integerValue { return String(integer) }
        return String(number.value)
    case .string(let text): return "\"" + text + "\""
    case .array(let elements): return "[" + elements.map(canonical).joined(separator: ",") + "]"
    case .object(let members):
        return "{" + members.map { "\"\($0.key)\":" + canonical($0.value) }.joined(separator: ",") + "}"
    }
}

func parseJSON5(_ text: String) throws(JSON5SyntaxError) -> JSONValue {
    try JSON5Parser(fileName: "test.json5").parse(text)
}

/// The syntax error `text` produces, or nil when it parses.
func json5Error(_ text: String) -> JSON5SyntaxError? {
    do {
        _ = try parseJSON5(text)
        return nil
    } catch {
        return error
    }
}
