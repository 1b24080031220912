/// `secretEnv` and `build.secretArgs`: a map of names to `{ file: "…" }` or `{ env: "…" }`.
/// Only the shape is checked here; the values are read when the node that uses them runs.
extension SpecDecoder {
    func decodeSecrets(_ node: SpecNode, plain: [KeyValuePair], plainKey: String) -> [SecretSpec] {
        guard let object = map(node) else { return [] }
        var secrets: [SecretSpec] = []
        for entry in object.entries {
            if entry.key.isEmpty || entry.key.unicodeScalars.contains("=") || entry.key.unicodeScalars.contains("\0") {
                report("invalid name \"\(Self.shortened(entry.key))\": names must be non-empty and cannot contain `=`",
                       at: entry.node.path, entry.keyPosition)
                continue
            }
            if plain.contains(where: { $0.key == entry.key }) {
                report("`\(Self.shortened(entry.key))` is also given in `\(plainKey)`", at: entry.node.path, entry.keyPosition,
                       hint: "keep it in one place: a secret belongs in this map only")
                continue
            }
            if let source = decodeSecretSource(entry.node) {
                secrets.append(SecretSpec(name: entry.key, source: source, keyPath: entry.node.path.description))
            }
        }
        return secrets
    }

    private func decodeSecretSource(_ node: SpecNode) -> SecretSource? {
        guard case .object = node.value.kind else {
            report("expected `{ file: \"…\" }` or `{ env: \"…\" }`, got \(Self.describeKind(node.value))", at: node,
                   hint: "a secret's value never goes into wbuild.json: put it in a file (e.g. `{ file: \"secrets/db\" }`) "
                       + "or a variable of your environment (`{ env: \"DB_PASSWORD\" }`)")
            return nil
        }
        guard let object = object(node, allowedKeys: ["file", "env"]) else { return nil }
        switch exactlyOne(of: ["file", "env"], in: object,
                          neitherHint: "give `file: \"secrets/db\"` (relative to wbuild.json) or `env: \"DB_PASSWORD\"`") {
        case "file":
            guard let fileNode = object.member("file"), let path = string(fileNode) else { return nil }
            guard let normalized = Self.pathInsideProject(path) else {
                report("the secret file \"\(Self.shortened(path))\" is outside the project", at: fileNode,
                       hint: "give a path relative to wbuild.json that stays inside the project, e.g. \"secrets/db\"; "
                           + "for a value kept elsewhere, use `{ env: \"…\" }`")
                return nil
            }
            return .file(normalized)
        case "env":
            guard let envNode = object.member("env"), let name = string(envNode) else { return nil }
            guard !name.unicodeScalars.contains("="), !name.unicodeScalars.contains("\0") else {
                report("invalid variable name \"\(Self.shortened(name))\": it cannot contain `=`", at: envNode)
                return nil
            }
            return .environment(name)
        default:
            return nil
        }
    }

    /// A value's kind without the value itself: a mistaken secret written inline is never echoed.
    private static func describeKind(_ value: JSONValue) -> String {
        switch value.kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string (the value itself does not belong here)"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// `path` without `.` segments when it is relative and no `..` leaves the project; nil otherwise.
    static func pathInsideProject(_ path: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
