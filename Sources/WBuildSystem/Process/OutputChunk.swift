/// One line a child process wrote to its stdout or stderr, without the line terminator.
public struct OutputChunk: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Which of the child's output pipes a line came from.
    public enum Stream: Sendable, Equatable, Hashable {
        case stdout
        case stderr
    }

    public var stream: Stream
    /// The line's text: invalid UTF-8 is replaced by U+FFFD; a trailing "\r" is dropped.
    public var line: String

    public init(stream: Stream, line: String) {
        self.stream = stream
        self.line = line
    }

    public var description: String {
        switch stream {
        case .stdout: return line
        case .stderr: return "stderr: \(line)"
        }
    }
}
