/// One `wbuild doctor` finding: what was checked, whether it is fine, what was seen, and how
/// to fix it when it is not.
public struct DoctorCheck: Sendable {
    public enum Outcome: String, Sendable { case ok, warning, failed }

    public let name: String
    public let outcome: Outcome
    public let detail: String
    public let fix: String?

    public init(_ name: String, _ outcome: Outcome, _ detail: String, fix: String? = nil) {
        self.name = name
        self.outcome = outcome
        self.detail = detail
        self.fix = fix
    }

    public var json: JSONText {
        var pairs: [(String, JSONText)] = [("type", .string("check")), ("name", .string(name)),
                                           ("outcome", .string(outcome.rawValue)), ("detail", .string(detail))]
        if let fix { pairs.append(("fix", .string(fix))) }
        return .object(pairs)
    }
}
