/// One request the project's router answered, as it reports it (`EVENTS` on its control
/// channel): for the `route` event of `--json` and the `router │ GET /api/x → api[0] 200 3 ms`
/// line of `-v`.
public struct RouteRecord: Sendable, Equatable {
    public var method: String
    /// The request target as the client sent it.
    public var target: String
    /// The workload that took it; nil when no route matched (a 404) or the request was refused
    /// before routing (a 400, 408, 431).
    public var workload: String?
    /// The replica index that answered; nil when none did (a 503 after the hold, a 404).
    public var replica: Int?
    public var status: Int
    public var microseconds: Int

    public init(method: String, target: String, workload: String?, replica: Int?, status: Int, microseconds: Int) {
        self.method = method
        self.target = target
        self.workload = workload
        self.replica = replica
        self.status = status
        self.microseconds = microseconds
    }

    /// Parses the router's `REQ <method> <status> <micros> <workload|-> <replica|-> <target>`.
    public init?(line: String) {
        let words = line.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: false)
        guard words.count == 7, words[0] == "REQ", let status = Int(words[2]), let micros = Int(words[3]) else { return nil }
        self.init(method: String(words[1]), target: String(words[6]), workload: words[4] == "-" ? nil : String(words[4]),
                  replica: words[5] == "-" ? nil : Int(words[5]), status: status, microseconds: micros)
    }

    /// `GET /api/x → api[0] 200 3 ms`.
    public var description: String {
        let destination = workload.map { name in replica.map { "\(name)[\($0)]" } ?? name } ?? "-"
        let ms = microseconds < 10_000 ? String(format1(Double(microseconds) / 1000)) : String(microseconds / 1000)
        return "\(method) \(target) → \(destination) \(status) \(ms) ms"
    }

    /// One decimal place without Foundation: `0.4`, `3.2`.
    private func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
