/// The outcome of `once` (and later `up`, `publish`): every node in scope with its status,
/// duration, reason and typed output — what a compiler's preflight phase reads.
public struct RunResult: Sendable {
    public let ok: Bool
    public let milliseconds: Int
    public let nodes: [NodeResult]

    public init(summary: PassSummary) {
        ok = summary.ok
        milliseconds = summary.milliseconds
        nodes = summary.results
    }

    public func node(_ id: String) -> NodeResult? { nodes.first { $0.id.description == id } }

    /// The `{"type":"result",…}` object of DESIGN.md.
    public var json: JSONText {
        .object([
            ("type", .string("result")),
            ("ok", .bool(ok)),
            ("ms", .int(milliseconds)),
            ("nodes", .array(nodes.map(\.json))),
        ])
    }
}

extension NodeResult {
    /// One node of the result object: id, status, ms, reason, then its output fields and failure.
    public var json: JSONText {
        var pairs: [(String, JSONText)] = [
            ("id", .string(id.description)),
            ("status", .string(status.rawValue)),
            ("ms", .int(milliseconds)),
            ("reason", .string(reason.description)),
        ]
        if let output {
            for key in output.fields.keys.sorted() { pairs.append((key, .string(output.fields[key] ?? ""))) }
        }
        if let failure {
            pairs.append(("error", .string(failure.message)))
            if let hint = failure.hint { pairs.append(("hint", .string(hint))) }
            if !failure.tail.isEmpty { pairs.append(("tail", .array(failure.tail.map(JSONText.string)))) }
        }
        return .object(pairs)
    }
}
