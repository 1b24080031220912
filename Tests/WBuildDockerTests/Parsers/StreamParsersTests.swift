import Testing
@testable import WBuildDocker

@Suite("Multiplexed stream frames")
struct StreamFrameParserTests {
    @Test("stdout, stderr, stdin and system-error frames at every split point")
    func frames() throws {
        let wire: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 6] + Array("out-1\n".utf8)
            + [2, 0, 0, 0, 0, 0, 0, 4] + Array("err\n".utf8)
            + [0, 0, 0, 0, 0, 0, 0, 0]
            + [3, 0, 0, 0, 0, 0, 0, 4] + Array("oops".utf8)
        let expected = [
            StreamFrame(stream: .stdout, payload: Array("out-1\n".utf8)),
            StreamFrame(stream: .stderr, payload: Array("err\n".utf8)),
            StreamFrame(stream: .stdin, payload: []),
            StreamFrame(stream: .systemError, payload: Array("oops".utf8)),
        ]
        for pieces in SplitFeeding.allPartitions(of: wire) {
            var parser = StreamFrameParser()
            var frames: [StreamFrame] = []
            for piece in pieces { frames += try parser.feed(piece) }
            #expect(frames == expected)
            try parser.finish()
        }
    }

    @Test("a length above 255 uses all four big-endian bytes")
    func bigEndianLength() throws {
        let payload = [UInt8](repeating: 0x61, count: 0x0102)
        var parser = StreamFrameParser()
        let frames = try parser.feed([1, 0, 0, 0, 0, 0, 1, 2] + payload)
        #expect(frames == [StreamFrame(stream: .stdout, payload: payload)])
    }

    @Test("unknown stream bytes and truncated frames are errors")
    func malformed() throws {
        var parser = StreamFrameParser()
        #expect(throws: HTTPParseError.self) { try parser.feed([7, 0, 0, 0, 0, 0, 0, 1, 0x61]) }
        var truncated = StreamFrameParser()
        _ = try truncated.feed([1, 0, 0, 0, 0, 0, 0, 9, 0x61])
        #expect(throws: HTTPParseError.self) { try truncated.finish() }
    }
}

@Suite("JSON lines")
struct JSONLinesSplitterTests {
    @Test("CRLF lines, blank lines and a last line without newline, at every split point")
    func lines() throws {
        let wire = Array("{\"stream\":\"Step 1/2\"}\r\n\r\n{\"aux\":{\"ID\":\"sha256:ab\"}}\n  \n{\"stream\":\"done\"}".utf8)
        let expected = [
            Array("{\"stream\":\"Step 1/2\"}".utf8),
            Array("{\"aux\":{\"ID\":\"sha256:ab\"}}".utf8),
            Array("{\"stream\":\"done\"}".utf8),
        ]
        for pieces in SplitFeeding.allPartitions(of: wire) {
            var splitter = JSONLinesSplitter()
            var lines: [[UInt8]] = []
            for piece in pieces { lines += try splitter.feed(piece) }
            lines += splitter.finish()
            #expect(lines == expected)
        }
    }
}
