/// Turns a logs body into lines per stream. Bodies of containers without a TTY carry 8-byte
/// frames (which may span chunks); with a TTY the body is raw text, reported as stdout. Which one
/// is decided from the first 8 bytes. A system-error frame (stream 3) is thrown.
struct LogLineDecoder: StreamDecoder {
    private enum Mode: Sendable {
        case undecided([UInt8])
        case framed(StreamFrameParser)
        case raw
    }

    private var mode = Mode.undecided([])
    private var partial: [StdioStream: [UInt8]] = [:]

    mutating func decode(_ bytes: [UInt8]) throws -> [LogLine] {
        switch mode {
        case .undecided(let buffered):
            let all = buffered + bytes
            guard all.count >= 8 else {
                mode = .undecided(all)
                return []
            }
            if all[0] <= 3, all[1] == 0, all[2] == 0, all[3] == 0 {
                mode = .framed(StreamFrameParser())
            } else {
                mode = .raw
            }
            return try decode(all)
        case .framed(var parser):
            let frames = try parser.feed(bytes)
            mode = .framed(parser)
            var lines: [LogLine] = []
            for frame in frames {
                if frame.stream == .systemError {
                    throw DockerError(.inBandError, message: "the engine reported an error in the log stream: "
                                      + String(decoding: frame.payload, as: UTF8.self))
                }
                lines += append(frame.payload, to: frame.stream)
            }
            return lines
        case .raw:
            return append(bytes, to: .stdout)
        }
    }

    mutating func finish() throws -> [LogLine] {
        var lines: [LogLine] = []
        if case .undecided(let buffered) = mode, !buffered.isEmpty {
            mode = .raw
            lines += append(buffered, to: .stdout)
        }
        if case .framed(let parser) = mode { try parser.finish() }
        for stream in [StdioStream.stdout, .stderr] {
            if let rest = partial[stream], !rest.isEmpty {
                lines.append(LogLine(stream: stream, text: Self.text(rest)))
            }
        }
        partial = [:]
        return lines
    }

    private mutating func append(_ bytes: [UInt8], to stream: StdioStream) -> [LogLine] {
        var buffer = partial[stream, default: []] + bytes
        var lines: [LogLine] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(LogLine(stream: stream, text: Self.text(buffer[..<newline])))
            buffer.removeSubrange(...newline)
        }
        partial[stream] = buffer
        return lines
    }

    private static func text<C: Collection<UInt8>>(_ bytes: C) -> String {
        var line = Array(bytes)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
