import Testing
@testable import WBuildDocker

@Suite("Log line decoder")
struct LogLineDecoderTests {
    private func decode(_ pieces: [[UInt8]]) throws -> [LogLine] {
        var decoder = LogLineDecoder()
        var lines: [LogLine] = []
        for piece in pieces { lines += try decoder.decode(piece) }
        return lines + (try decoder.finish())
    }

    @Test("framed logs: lines split across frames and streams, at every split point")
    func framed() throws {
        let wire: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 4] + Array("out-".utf8)
            + [2, 0, 0, 0, 0, 0, 0, 4] + Array("err\n".utf8)
            + [1, 0, 0, 0, 0, 0, 0, 7] + Array("1\nout-2".utf8)
        let expected = [LogLine(stream: .stderr, text: "err"), LogLine(stream: .stdout, text: "out-1"), LogLine(stream: .stdout, text: "out-2")]
        for pieces in SplitFeeding.allPartitions(of: wire) {
            #expect(try decode(pieces) == expected)
        }
    }

    @Test("TTY logs are raw text, reported as stdout with CRLF trimmed")
    func raw() throws {
        let wire = Array("hello\r\nworld\r\n".utf8)
        for pieces in SplitFeeding.allPartitions(of: wire) {
            #expect(try decode(pieces) == [LogLine(stream: .stdout, text: "hello"), LogLine(stream: .stdout, text: "world")])
        }
        #expect(try decode([Array("hi".utf8)]) == [LogLine(stream: .stdout, text: "hi")])
    }

    @Test("a system-error frame is thrown as an in-band error")
    func systemError() {
        #expect {
            _ = try decode([[3, 0, 0, 0, 0, 0, 0, 4] + Array("boom".utf8)])
        } throws: { error in
            (error as? DockerError)?.kind == .inBandError && ((error as? DockerError)?.message.contains("boom") ?? false)
        }
    }
}
