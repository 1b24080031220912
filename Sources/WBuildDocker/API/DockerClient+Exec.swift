extension DockerClient {
    /// Runs `command` in a running container and collects its output: `POST /containers/{id}/exec`,
    /// then `POST /exec/{id}/start` on a hijacked connection read to EOF (8-byte frames demultiplexed),
    /// then `GET /exec/{id}/json` for the exit code.
    public func exec(_ container: String, command: [String], env: [String] = [], workdir: String? = nil) async throws -> ExecResult {
        struct CreateBody: Encodable {
            var AttachStdout = true
            var AttachStderr = true
            var Tty = false
            var Env: [String]
            var WorkingDir: String?
            var Cmd: [String]
        }
        struct Created: Decodable { var Id: String }
        struct StartBody: Encodable {
            var Detach = false
            var Tty = false
        }
        struct Inspected: Decodable {
            var Running: Bool
            var ExitCode: Int?
        }
        let create = try await request("POST", "/containers/\(PathSegment.escapeName(container))/exec",
                                       body: Self.json(CreateBody(Env: env, WorkingDir: workdir, Cmd: command)))
        let execID = try await decoding(Created.self, create).Id
        let start = try await request("POST", "/exec/\(execID)/start", body: Self.json(StartBody()), hijacks: true)
        let raw = try await transport.send(start).body
        var parser = StreamFrameParser()
        var result = ExecResult(exitCode: -1, stdout: [], stderr: [])
        do {
            for frame in try parser.feed(raw) {
                switch frame.stream {
                case .stdout: result.stdout += frame.payload
                case .stderr: result.stderr += frame.payload
                case .stdin, .systemError:
                    throw DockerError(.inBandError, method: start.method, endpoint: start.target,
                                      message: String(decoding: frame.payload, as: UTF8.self))
                }
            }
            try parser.finish()
        } catch let error as HTTPParseError {
            throw DockerError(.protocolError, method: start.method, endpoint: start.target, message: error.message)
        }
        // The exit code is normally set when the output ends; allow the engine a moment if not.
        let inspect = try await request("GET", "/exec/\(execID)/json")
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let inspected = try await decoding(Inspected.self, inspect)
            if let exitCode = inspected.ExitCode, !inspected.Running {
                result.exitCode = exitCode
                return result
            }
            guard ContinuousClock.now < deadline else {
                throw DockerError(.protocolError, method: inspect.method, endpoint: inspect.target,
                                  message: "the exec's output ended but the engine still reports it running")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
