/// Everything needed to start a child process: what to run, where, and with which
/// environment. A value: build it from a task's settings and hand it to `ChildProcess.spawn`.
public struct ProcessLaunch: Sendable, Equatable {
    /// What to run.
    public var command: ProcessCommand
    /// The working directory; `nil` runs in the current directory of this process.
    public var directory: String?
    /// Variables set over the inherited environment (a key here replaces the inherited value).
    public var environment: [String: String]
    /// How long to keep reading stdout/stderr after the process exited, before giving up on
    /// descendants that still hold the pipes open (`server &` in a shell command).
    public var outputDrainTimeout: Duration
    /// How many of the last output lines `ChildProcess.tail` keeps for failure summaries
    /// (0 for output that must not be kept, such as a credential helper's secret).
    public var tailLineCount: Int
    /// Bytes the child reads on stdin, then end of file; `nil` gives it `/dev/null`. At most
    /// `maximumStandardInput` bytes: they are written into the pipe before the spawn, which a
    /// pipe always holds without blocking, so nothing waits for the child to read and no
    /// `SIGPIPE` can come from a child that exits without reading (a credential helper's
    /// server address is the use).
    public var standardInput: [UInt8]?

    /// `PIPE_BUF`: the most a fresh pipe is guaranteed to take without a reader.
    public static let maximumStandardInput = 4096

    public init(
        _ command: ProcessCommand,
        directory: String? = nil,
        environment: [String: String] = [:],
        outputDrainTimeout: Duration = .milliseconds(250),
        tailLineCount: Int = 40,
        standardInput: [UInt8]? = nil
    ) {
        self.command = command
        self.directory = directory
        self.environment = environment
        self.outputDrainTimeout = outputDrainTimeout
        self.tailLineCount = tailLineCount
        self.standardInput = standardInput
    }
}
