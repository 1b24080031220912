extension BuildEvent {
    /// The event as one `--json` line object; every object has a `type`.
    public var json: JSONText {
        switch self {
        case .nodeStart(let id, let reason):
            return .object([("type", .string("node.start")), ("id", .string(id.description)), ("reason", .string(reason.description))])
        case .nodeWaiting(let id, let inputs):
            return .object([("type", .string("node.waiting")), ("id", .string(id.description)),
                            ("on", .array(inputs.map { .string($0.description) }))])
        case .nodeDone(let result):
            guard case .object(let pairs) = result.json else { return result.json }
            return .object([("type", .string("node.done"))] + pairs)
        case .log(let id, let stream, let line):
            return .object([("type", .string("log")), ("id", .string(id.description)),
                            ("stream", .string(stream.rawValue)), ("line", .string(line))])
        case .change(let paths, let nodes):
            return .object([("type", .string("change")), ("paths", .array(paths.map(JSONText.string))),
                            ("nodes", .array(nodes.map { .string($0.description) }))])
        case .warning(let message):
            return .object([("type", .string("warning")), ("message", .string(message))])
        case .workloadState(let id, let state, let detail):
            return .object([("type", .string(state == "ready" ? "ready" : "workload")), ("id", .string(id.description)),
                            ("state", .string(state)), ("detail", .string(detail))])
        case .liveUpdate(let id, let files, let phases):
            return .object([("type", .string("liveUpdate")), ("id", .string(id.description)), ("files", .int(files)),
                            ("phases", .object(phases.map { ($0.0, .int($0.1)) }))])
        case .watching(let root):
            return .object([("type", .string("watching")), ("root", .string(root))])
        case .reloaded(let file):
            return .object([("type", .string("reloaded")), ("file", .string(file))])
        case .progress(let id, let progress):
            var pairs: [(String, JSONText)] = [("type", .string("progress")), ("id", .string(id.description)),
                                               ("phase", .string(progress.phase)), ("done", .int(progress.done))]
            if let total = progress.total { pairs.append(("total", .int(total))) }
            if let unit = progress.unit { pairs.append(("unit", .string(unit.rawValue))) }
            if let rate = progress.ratePerSecond { pairs.append(("rate", .int(Int(rate)))) }
            if let detail = progress.detail { pairs.append(("detail", .string(detail))) }
            pairs.append(("text", .string(progress.description)))
            return .object(pairs)
        case .route(let record):
            var pairs: [(String, JSONText)] = [("type", .string("route")), ("method", .string(record.method)),
                                               ("path", .string(record.target))]
            pairs.append(("workload", record.workload.map(JSONText.string) ?? .null))
            pairs.append(("replica", record.replica.map(JSONText.int) ?? .null))
            pairs.append(("status", .int(record.status)))
            pairs.append(("ms", .double(Double(record.microseconds) / 1000)))
            return .object(pairs)
        case .passDone(let summary):
            return .object([("type", .string("pass.done")), ("ok", .bool(summary.ok)), ("ms", .int(summary.milliseconds))])
        }
    }
}
