/// The outcome of `exec`: exit code and the collected output of each stream.
public struct ExecResult: Sendable, Equatable {
    public var exitCode: Int
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// One line of container output from `logs`.
public struct LogLine: Sendable, Equatable {
    public var stream: StdioStream
    /// The line without its newline (and with the timestamp when asked for).
    public var text: String
}
