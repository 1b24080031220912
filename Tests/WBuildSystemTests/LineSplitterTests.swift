import Testing
@testable import WBuildSystem

@Suite struct LineSplitterTests {
    /// Feeds `bytes` cut at `split`, then ends the stream; returns every line.
    private func lines(_ bytes: [UInt8], splitAt split: Int, maximum: Int = 64 * 1024) -> [String] {
        var splitter = LineSplitter(maximumLineBytes: maximum)
        var result = splitter.append(bytes[..<split])
        result += splitter.append(bytes[split...])
        if let last = splitter.finish() { result.append(last) }
        return result
    }

    @Test func everySplitPointGivesTheSameLines() {
        let text = Array("alpha\r\nbeta\n\ngamma é ✓\nunterminated".utf8)
        for split in 0...text.count {
            #expect(lines(text, splitAt: split) == ["alpha", "beta", "", "gamma é ✓", "unterminated"], "split at \(split)")
        }
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        var splitter = LineSplitter()
        #expect(splitter.append([0x61, 0xFF, 0xC3, 0x0A]) == ["a\u{FFFD}\u{FFFD}"])
    }

    @Test func longLineIsCutIntoPiecesOfTheMaximum() {
        let text = Array(String(repeating: "x", count: 10).utf8) + [0x0A]
        for split in 0...text.count {
            #expect(lines(text, splitAt: split, maximum: 4) == ["xxxx", "xxxx", "xx"], "split at \(split)")
        }
    }

    @Test func cutsDoNotSplitACharacter() {
        // "ab" then "é" (2 bytes) straddles the 4-byte limit at "abcé": cut before "é".
        let text = Array("abcéfg\n".utf8)
        for split in 0...text.count {
            #expect(lines(text, splitAt: split, maximum: 4) == ["abc", "éfg"], "split at \(split)")
        }
    }

    @Test func finishWithNothingPendingIsNil() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array("done\n".utf8)) == ["done"])
        #expect(splitter.finish() == nil)
    }

    @Test func tailKeepsTheNewestLinesInOrder() {
        var tail = OutputTail(capacity: 3)
        for number in 1...7 {
            tail.append(OutputChunk(stream: .stdout, line: "\(number)"))
        }
        #expect(tail.lines.map(\.line) == ["5", "6", "7"])
        var short = OutputTail(capacity: 3)
        short.append(OutputChunk(stream: .stderr, line: "only"))
        #expect(short.lines == [OutputChunk(stream: .stderr, line: "only")])
    }
}
