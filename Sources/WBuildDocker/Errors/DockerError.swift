/// Any failure talking to the Docker engine: what kind, which call, what the daemon said,
/// and what the user can do about it.
///
/// `description` is one paragraph a user can act on, e.g.
/// `docker POST /build: The command '/bin/sh -c exit 3' returned a non-zero code: 3 (step 2/2 : RUN exit 3)`.
///
/// An error never carries a request's query: `endpoint` is redacted when the error is made
/// (see `RequestTarget`), because query values hold build arguments and other settings the
/// user may keep secret, and errors end up on screen, in events and in `.wbuild/state.json`.
public struct DockerError: Error, Sendable, CustomStringConvertible {
    /// The broad class of failure, for callers that react differently (exit 3 for `engineUnreachable`).
    public enum Kind: String, Sendable, Equatable {
        /// The socket or host could not be reached (missing socket, refused, permission denied).
        case engineUnreachable
        /// The daemon answered with an HTTP error status other than 404.
        case httpError
        /// The daemon answered 404: no such image, container, network, exec or tag.
        case notFound
        /// A stream that started with 200 reported an error inside it (build, pull, push, logs).
        case inBandError
        /// The bytes from the engine were not valid HTTP, framing or JSON, or the connection dropped mid-response.
        case protocolError
        /// The calling task was cancelled.
        case cancelled
    }

    public var kind: Kind
    /// HTTP method of the failed call, when there was one.
    public var method: String?
    /// Path of the failed call without the API version prefix and without the query
    /// (`/build`), or the host for connection errors.
    public private(set) var endpoint: String?
    /// HTTP status, when the daemon answered.
    public var status: Int?
    /// The daemon's message, or ours.
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// For failed builds: the failing step, the last output lines and the exit code.
    public var buildFailure: BuildFailure?

    public init(_ kind: Kind, method: String? = nil, endpoint: String? = nil, status: Int? = nil,
                message: String, hint: String? = nil, buildFailure: BuildFailure? = nil) {
        self.kind = kind
        self.method = method
        self.endpoint = endpoint.map(RequestTarget.redacted)
        self.status = status
        self.message = message
        self.hint = hint
        self.buildFailure = buildFailure
    }

    public var description: String {
        var text = "docker"
        if let method { text += " \(method)" }
        if let endpoint { text += " \(endpoint)" }
        text += ": \(message)"
        if let status { text += " (HTTP \(status))" }
        if let buildFailure {
            if let step = buildFailure.step { text += "\n  failing step: \(step)" }
            if let code = buildFailure.exitCode { text += "\n  exit code: \(code)" }
            if !buildFailure.outputTail.isEmpty {
                text += "\n  last output:\n" + buildFailure.outputTail.map { "    \($0)" }.joined(separator: "\n")
            }
        }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// Details of a failed image build, taken from the build stream.
public struct BuildFailure: Sendable, Equatable {
    /// The step being run, e.g. `Step 2/3 : RUN exit 3`.
    public var step: String?
    /// The last lines of output before the failure (ANSI colour codes removed).
    public var outputTail: [String]
    /// The exit code of a failing `RUN`, parsed from "returned a non-zero code: N".
    public var exitCode: Int?
    /// The engine's own reason, as the stream's `errorDetail.message` (or `error`) said it, e.g.
    /// `COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: …`.
    public var engineMessage: String?

    public init(step: String?, outputTail: [String], exitCode: Int?, engineMessage: String? = nil) {
        self.step = step
        self.outputTail = outputTail
        self.exitCode = exitCode
        self.engineMessage = engineMessage
    }
}
