/// `readiness` and `liveness`.
extension SpecDecoder {
    static let probeKeys = ["http", "tcp", "exec", "intervalMs", "timeoutMs", "failureThreshold", "initialDelayMs"]

    func decodeProbe(_ node: SpecNode) -> ProbeSpec? {
        guard let object = object(node, allowedKeys: Self.probeKeys) else { return nil }
        var check: ProbeCheck?
        switch exactlyOne(
            of: ["http", "tcp", "exec"], in: object,
            neitherHint: "e.g. `http: { path: \"/healthz\", port: 8080 }`, `tcp: { port: 6379 }` or `exec: { command: [\"check\"] }`")
        {
        case "http":
            if let httpNode = object.member("http"), let http = self.object(httpNode, allowedKeys: ["path", "port"]) {
                let path = required(http, "path").flatMap { decodeURLPath($0) }
                let port = required(http, "port").flatMap { integer($0, in: 1...65535) }
                if let path, let port { check = .http(path: path, port: port) }
            }
        case "tcp":
            if let tcpNode = object.member("tcp"), let tcp = self.object(tcpNode, allowedKeys: ["port"]),
               let port = required(tcp, "port").flatMap({ integer($0, in: 1...65535) }) {
                check = .tcp(port: port)
            }
        case "exec":
            if let execNode = object.member("exec"), let exec = self.object(execNode, allowedKeys: ["command"]),
               let command = required(exec, "command").flatMap({ decodeContainerCommand($0, allowShellString: true) }) {
                check = .exec(command: command)
            }
        default:
            break
        }
        let maximum = Self.maximumMilliseconds
        let interval = object.member("intervalMs").flatMap { integer($0, in: 1...maximum) }
        let timeout = object.member("timeoutMs").flatMap { integer($0, in: 1...maximum) }
        let threshold = object.member("failureThreshold").flatMap { integer($0, in: 1...1000) }
        let delay = object.member("initialDelayMs").flatMap { integer($0, in: 0...maximum) }
        guard let check else { return nil }
        return ProbeSpec(
            check: check,
            intervalMs: interval ?? ProbeSpec.defaultIntervalMs,
            timeoutMs: timeout ?? ProbeSpec.defaultTimeoutMs,
            failureThreshold: threshold ?? ProbeSpec.defaultFailureThreshold,
            initialDelayMs: delay ?? ProbeSpec.defaultInitialDelayMs)
    }

    private func decodeURLPath(_ node: SpecNode) -> String? {
        guard let path = string(node) else { return nil }
        guard path.hasPrefix("/") else {
            report("expected a URL path starting with `/`, got \"\(Self.shortened(path))\"", at: node,
                   hint: "write \"/\(Self.shortened(path))\"")
            return nil
        }
        return path
    }
}
