import WBuildDocker
import WBuildSpec

/// Runs one readiness or liveness check against a container: an HTTP GET or a TCP connect on
/// the published 127.0.0.1 port when the probed port is published (from the host, like a
/// user), otherwise inside the container through the engine (`wget`, or `sh` + `nc`, which the
/// image must have); an `exec` probe runs its command through the engine.
struct ProbeRunner: Sendable {
    let client: DockerClient

    /// Whether the check passed, and why not.
    func check(_ probe: ProbeSpec, containerID: String, ports: [PublishedPort]) async -> Result<Void, ProbeFailure> {
        let timeout = Duration.milliseconds(max(1, probe.timeoutMs))
        switch probe.check {
        case .http(let path, let port):
            if let published = ports.first(where: { $0.container == port && Self.isIPv4($0.hostIP) }) {
                switch await LoopbackHTTP.get(host: Self.dialable(published.hostIP), port: published.hostPort, path: path,
                                              timeout: timeout) {
                case .success(let answer) where (200..<400).contains(answer.status):
                    return .success(())
                case .success(let answer):
                    return .failure(ProbeFailure("GET \(path) answered \(answer.status)"))
                case .failure(let failure):
                    return .failure(failure)
                }
            }
            // No `-T`: the exec has its own deadline (and busybox-static's wget crashes on -T).
            return await exec(["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:\(port)\(path)"],
                              containerID: containerID, timeout: timeout, what: "GET \(path) on port \(port)")
        case .tcp(let port):
            if let published = ports.first(where: { $0.container == port && Self.isIPv4($0.hostIP) }) {
                return await LoopbackHTTP.connects(host: Self.dialable(published.hostIP), port: published.hostPort, timeout: timeout)
            }
            let seconds = String(ContainerBlueprint.seconds(ms: probe.timeoutMs))
            // busybox nc has no -z: connect with stdin at EOF, which exits 0 once connected.
            return await exec(["sh", "-c", "nc -w \(seconds) 127.0.0.1 \(port) </dev/null"], containerID: containerID,
                              timeout: timeout, what: "connect to port \(port)")
        case .exec(let command):
            return await exec(command, containerID: containerID, timeout: timeout, what: command.joined(separator: " "))
        }
    }

    private func exec(_ command: [String], containerID: String, timeout: Duration, what: String) async -> Result<Void, ProbeFailure> {
        let client = self.client
        let outcome = await withTimeout(timeout + .milliseconds(500)) { () async -> Result<Void, ProbeFailure> in
            do {
                let result = try await client.exec(containerID, command: command)
                if result.exitCode == 0 { return .success(()) }
                let output = (result.stderrText + result.stdoutText).split(separator: "\n").last.map(String.init) ?? ""
                return .failure(ProbeFailure("`\(what)` exited with \(result.exitCode)" + (output.isEmpty ? "" : ": \(output)")))
            } catch {
                return .failure(ProbeFailure("`\(what)` could not run: \(error)"))
            }
        }
        return outcome ?? .failure(ProbeFailure("`\(what)` did not finish in \(timeout)"))
    }

    /// Whether the probe can dial the published address from the host (IPv4; others are probed inside).
    static func isIPv4(_ hostIP: String) -> Bool { !hostIP.contains(":") }

    /// The address to dial for a published host IP (any-address binds are reached on loopback).
    static func dialable(_ hostIP: String) -> String {
        hostIP.isEmpty || hostIP == "0.0.0.0" ? "127.0.0.1" : hostIP
    }
}
