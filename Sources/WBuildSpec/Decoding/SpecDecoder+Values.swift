/// Typed readers for single values: each returns nil and reports a diagnostic when the
/// value has the wrong type or is out of range.
extension SpecDecoder {
    /// An object whose keys must be among `allowedKeys`; unknown keys are reported with a suggestion.
    func object(_ node: SpecNode, allowedKeys: [String]) -> ObjectNode? {
        guard let object = map(node) else { return nil }
        for member in object.members where !allowedKeys.contains(member.key) {
            report(
                "unknown key `\(Self.shortened(member.key))`",
                at: node.path.appending(member.key), member.keyLocation,
                hint: Suggestion.hint(for: member.key, among: allowedKeys, noun: "keys allowed here"))
        }
        return object
    }

    /// An object with free-form keys (a map of names to values).
    func map(_ node: SpecNode) -> ObjectNode? {
        guard case .object(let members) = node.value.kind else {
            report("expected an object `{ … }`, got \(Self.describe(node.value))", at: node)
            return nil
        }
        return ObjectNode(node: node, members: members)
    }

    func array(_ node: SpecNode) -> [SpecNode]? {
        guard case .array(let elements) = node.value.kind else {
            report("expected an array `[ … ]`, got \(Self.describe(node.value))", at: node)
            return nil
        }
        return elements.enumerated().map { SpecNode(value: $1, path: node.path.appending(index: $0)) }
    }

    func string(_ node: SpecNode, allowEmpty: Bool = false) -> String? {
        guard case .string(let text) = node.value.kind else {
            report("expected a string, got \(Self.describe(node.value))", at: node)
            return nil
        }
        if !allowEmpty && text.isEmpty {
            report("expected a non-empty string", at: node)
            return nil
        }
        return text
    }

    func integer(_ node: SpecNode, in range: ClosedRange<Int>) -> Int? {
        guard case .number(let number) = node.value.kind, let integer = number.integerValue,
              range.contains(integer) else {
            report("expected \(Self.describe(range)), got \(Self.describe(node.value))", at: node)
            return nil
        }
        return integer
    }

    func number(_ node: SpecNode) -> Double? {
        guard case .number(let number) = node.value.kind else {
            report("expected a number, got \(Self.describe(node.value))", at: node)
            return nil
        }
        return number.value
    }

    func bool(_ node: SpecNode) -> Bool? {
        guard case .bool(let flag) = node.value.kind else {
            report("expected true or false, got \(Self.describe(node.value))", at: node)
            return nil
        }
        return flag
    }

    /// One of a fixed set of strings.
    func choice<T>(_ node: SpecNode, _ options: [(String, T)]) -> T? {
        let names = options.map { "\"\($0.0)\"" }.joined(separator: ", ")
        guard case .string(let text) = node.value.kind else {
            report("expected one of \(names), got \(Self.describe(node.value))", at: node)
            return nil
        }
        if let match = options.first(where: { $0.0 == text }) {
            return match.1
        }
        let suggestion = Suggestion.closest(to: text, among: options.map(\.0))
        report("expected one of \(names), got \(Self.describe(node.value))", at: node,
               hint: suggestion.map { "did you mean \"\($0)\"?" })
        return nil
    }

    /// An array of non-empty strings (globs, paths, names).
    func stringList(_ node: SpecNode) -> [String]? {
        stringListNodes(node)?.map(\.text)
    }

    /// An array of non-empty strings, each with its node (for bindings and cross-checks).
    func stringListNodes(_ node: SpecNode) -> [(text: String, node: SpecNode)]? {
        guard let elements = array(node) else { return nil }
        var result: [(String, SpecNode)] = []
        var ok = true
        for element in elements {
            if let text = string(element) { result.append((text, element)) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// An ordered map of names to strings (env, build args). Numbers and booleans are accepted
    /// and kept as written (`PORT: 8080` → "8080"), since that is what an environment holds.
    func stringMapNodes(_ node: SpecNode) -> [(pair: KeyValuePair, node: SpecNode)]? {
        guard let object = map(node) else { return nil }
        var result: [(KeyValuePair, SpecNode)] = []
        var ok = true
        for entry in object.entries {
            if entry.key.isEmpty || entry.key.unicodeScalars.contains("=") {
                report("invalid name \"\(Self.shortened(entry.key))\": names must be non-empty and cannot contain `=`",
                       at: entry.node.path, entry.keyPosition)
                ok = false
                continue
            }
            switch entry.node.value.kind {
            case .string(let text):
                result.append((KeyValuePair(entry.key, text), entry.node))
            case .number(let number):
                let text = number.integerValue.map(String.init) ?? String(number.value)
                result.append((KeyValuePair(entry.key, text), entry.node))
            case .bool(let flag):
                result.append((KeyValuePair(entry.key, flag ? "true" : "false"), entry.node))
            default:
                report("expected a string, got \(Self.describe(entry.node.value))", at: entry.node)
                ok = false
            }
        }
        return ok ? result : nil
    }

    func stringMap(_ node: SpecNode) -> [KeyValuePair]? {
        stringMapNodes(node)?.map(\.pair)
    }

    /// The member `key`, reporting it as missing when absent.
    func required(_ object: ObjectNode, _ key: String, hint: String? = nil) -> SpecNode? {
        if let member = object.member(key) { return member }
        report("required key `\(key)` is missing", at: object.path.appending(key), object.position, hint: hint)
        return nil
    }

    /// Which one of `keys` the object has; reports when it has none or more than one.
    func exactlyOne(of keys: [String], in object: ObjectNode, neitherHint: String) -> String? {
        let present = object.members.filter { keys.contains($0.key) }
        let names = keys.map { "`\($0)`" }.joined(separator: keys.count == 2 ? " or " : ", ")
        switch present.count {
        case 1:
            return present[0].key
        case 0:
            report("expected one of \(names), found none", at: object.node, hint: neitherHint)
            return nil
        default:
            let extra = present[1]
            report("expected only one of \(names), found both `\(present[0].key)` and `\(extra.key)`",
                   at: object.path.appending(extra.key), extra.keyLocation,
                   hint: "remove one of them")
            return nil
        }
    }

    // MARK: Message pieces

    /// How a message shows a value it did not expect: strings quoted, numbers as written.
    static func describe(_ value: JSONValue) -> String {
        switch value.kind {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return shortened(number.literal)
        case .string(let text): return "\"" + shortened(text) + "\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == .max { return "an integer ≥ \(range.lowerBound)" }
        return "an integer \(range.lowerBound)–\(range.upperBound)"
    }

    static func shortened(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
    }
}
