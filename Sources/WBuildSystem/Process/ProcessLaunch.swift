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
    /// How many of the last output lines `ChildProcess.tail` keeps for failure summaries.
    public var tailLineCount: Int

    public init(
        _ command: ProcessCommand,
        directory: String? = nil,
        environment: [String: String] = [:],
        outputDrainTimeout: Duration = .milliseconds(250),
        tailLineCount: Int = 40
    ) {
        self.command = command
        self.directory = directory
        self.environment = environment
        self.outputDrainTimeout = outputDrainTimeout
        self.tailLineCount = tailLineCount
    }
}
