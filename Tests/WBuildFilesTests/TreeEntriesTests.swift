import Testing
import WBuildTestSupport
@testable import WBuildFiles

@Suite("Chunked snapshot entries")
struct TreeEntriesTests {
    private func entry(_ number: Int) -> FileEntry {
        // Zero-padded, so numeric order is path order.
        let name = String(number)
        let path = "f" + String(repeating: "0", count: max(0, 6 - name.count)) + name
        return FileEntry(relativePath: path, kind: .file, isExecutable: false, size: UInt64(number),
                         digest: FileDigest.of(Array(path.utf8)))
    }

    /// Random replacements (inside a chunk, across chunk borders, at both ends, growing a
    /// chunk past its split size, emptying chunks) must leave what the same edits leave in
    /// a plain array, and a copy taken before must not change.
    @Test(arguments: [7, 8, 9] as [UInt64])
    func editsMatchAPlainArray(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var model = (0..<5000).map { entry($0 * 100) }
        var entries = TreeEntries(sorted: model)
        for round in 0..<200 {
            let before = entries, modelBefore = model
            let start = Int.random(in: 0...model.count, using: &random)
            let length = Int.random(in: 0...min(model.count - start, round % 10 == 0 ? 3000 : 5), using: &random)
            // New entries fit between the neighbours: numbers strictly between theirs.
            let low = start == 0 ? -1 : Int(model[start - 1].size)
            let high = start + length == model.count ? 100_000_000 : Int(model[start + length].size)
            let room = high - low - 1
            let inserted = min(room, Int.random(in: 0...(round % 25 == 0 ? 2500 : 4), using: &random))
            let incoming = (0..<inserted).map { entry(low + 1 + $0) }
            model.replaceSubrange(start..<(start + length), with: incoming)
            entries.replaceSubrange(start..<(start + length), with: incoming)
            #expect(Array(entries) == model, "seed \(seed) round \(round)")
            #expect(entries.count == model.count)
            #expect(Array(before) == modelBefore, "a copy changed with the original")
            if let probe = model.indices.randomElement(using: &random) {
                #expect(entries[probe] == model[probe])
                #expect(withBytes(model[probe].relativePath) { entries.lowerBound($0) } == probe)
            }
        }
    }

    @Test func appendingInOrderBuildsWhatSortedInputBuilds() {
        let model = (0..<10_000).map { entry($0) }
        var appended = TreeEntries(sorted: [FileEntry]())
        for item in model { appended.append(item) }
        #expect(appended == TreeEntries(sorted: model))
        #expect(appended[TreeEntries.chunkSize] == model[TreeEntries.chunkSize])
        #expect(appended.count == 10_000)
        // The tree-hash sum split over two threads is the sum computed in one go.
        #expect(TreeHashSum.computedInParallel(appended) == TreeHashSum(model))
    }

    @Test func lowerBoundPastTheEndAndOnEmpty() {
        let entries = TreeEntries(sorted: (0..<3000).map { entry($0) })
        #expect(withBytes("g") { entries.lowerBound($0) } == 3000)
        #expect(withBytes("a") { entries.lowerBound($0) } == 0)
        #expect(withBytes("f001024x") { entries.lowerBound($0) } == 1025)
        let empty = TreeEntries(sorted: [FileEntry]())
        #expect(withBytes("a") { empty.lowerBound($0) } == 0)
        #expect(empty.isEmpty)
    }
}
