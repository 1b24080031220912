import WBuildSpec

/// A readiness probe as a compose `healthcheck`: Swarm counts a task as running only once it is
/// healthy, which gates rolling updates the way readiness gates traffic locally.
enum SwarmHealthcheck {
    /// The `test` for an `exec` probe. An http or tcp probe needs a client inside the image,
    /// which scratch images lack: `wbuild deploy --target swarm` bakes wbuild's own in and adds
    /// the check, so the file leaves those out.
    static func test(for check: ProbeCheck) -> [String]? {
        guard case .exec(let command) = check else { return nil }
        return ["CMD"] + command
    }

    /// `http` or `tcp` or `exec`, for messages.
    static func kind(of check: ProbeCheck) -> String {
        switch check {
        case .http: return "http"
        case .tcp: return "tcp"
        case .exec: return "exec"
        }
    }

    static func healthcheck(_ test: [String], probe: ProbeSpec) -> RenderValue {
        var map = RenderMap()
        map.set("test", .list(test.map(RenderValue.string)))
        map.set("interval", .string(Quantities.duration(probe.intervalMs)))
        map.set("timeout", .string(Quantities.duration(probe.timeoutMs)))
        map.set("retries", .integer(probe.failureThreshold))
        map.set("start_period", .string(Quantities.duration(probe.initialDelayMs)))
        return .map(map)
    }
}
