/// Which stream a multiplexed frame belongs to (the first byte of its 8-byte header).
public enum StdioStream: UInt8, Sendable, Equatable, CustomStringConvertible {
    case stdin = 0
    case stdout = 1
    case stderr = 2
    /// An error the daemon reports inside a log stream.
    case systemError = 3

    public var description: String {
        switch self {
        case .stdin: "stdin"
        case .stdout: "stdout"
        case .stderr: "stderr"
        case .systemError: "system error"
        }
    }
}

/// One frame of the engine's multiplexed stream (exec, attach and logs without a TTY).
public struct StreamFrame: Sendable, Equatable {
    public var stream: StdioStream
    public var payload: [UInt8]

    public init(stream: StdioStream, payload: [UInt8]) {
        self.stream = stream
        self.payload = payload
    }
}

/// Parses the engine's multiplexed stream: frames of `[stream, 0, 0, 0, uint32 big-endian length]`
/// followed by `length` payload bytes, fed in arbitrary pieces (a frame may span many reads).
public struct StreamFrameParser: Sendable {
    private var buffer: [UInt8] = []
    /// Largest payload accepted; the engine writes frames of at most a few tens of KB.
    static let maximumPayload = 64 * 1024 * 1024

    public init() {}

    /// True when no partial frame is buffered.
    public var isAtFrameBoundary: Bool { buffer.isEmpty }

    /// Consumes `bytes` and returns every frame they complete.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) throws(HTTPParseError) -> [StreamFrame] {
        buffer.append(contentsOf: bytes)
        var frames: [StreamFrame] = []
        var start = 0
        while buffer.count - start >= 8 {
            guard let stream = StdioStream(rawValue: buffer[start]),
                  buffer[start + 1] == 0, buffer[start + 2] == 0, buffer[start + 3] == 0 else {
                throw HTTPParseError("stream frame: bad header byte \(buffer[start]) (expected 0…3 followed by three zeros)")
            }
            let length = buffer[(start + 4)..<(start + 8)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= Self.maximumPayload else {
                throw HTTPParseError("stream frame: payload of \(length) bytes is too large")
            }
            guard buffer.count - start - 8 >= length else { break }
            frames.append(StreamFrame(stream: stream, payload: Array(buffer[(start + 8)..<(start + 8 + length)])))
            start += 8 + length
        }
        buffer.removeFirst(start)
        return frames
    }

    /// Reports the end of the stream; a partial frame left over is an error.
    public func finish() throws(HTTPParseError) {
        guard buffer.isEmpty else {
            throw HTTPParseError("stream frame: stream ended inside a frame (\(buffer.count) bytes left)")
        }
    }
}
