import Testing
import WBuildCore
@testable import WBuildFiles

@Suite("Tree hash")
struct TreeHashTests {
    private func entry(_ path: String, _ content: String, executable: Bool = false, kind: FileKind = .file) -> FileEntry {
        FileEntry(relativePath: path, kind: kind, isExecutable: executable, size: UInt64(content.utf8.count),
                  digest: FileDigest.of(Array(content.utf8)))
    }

    private var tree: [FileEntry] {
        [entry("a.txt", "a"), entry("b/c.txt", "c"), entry("b/d.sh", "d", executable: true),
         entry("b-e.txt", "e"), entry("link", "b/c.txt", kind: .symlink)]
    }

    @Test func theSameEntriesGiveTheSameHashInAnyOrder() {
        let forward = TreeSnapshot(entries: tree)
        let backward = TreeSnapshot(entries: tree.reversed())
        #expect(forward.treeHash == backward.treeHash)
        #expect(forward == backward)
    }

    @Test func everyFieldThatMattersChangesTheHash() {
        let base = TreeSnapshot(entries: tree).treeHash
        var renamed = tree
        renamed[0].relativePath = "a2.txt"
        var edited = tree
        edited[1].digest = FileDigest.of(Array("c2".utf8))
        var executable = tree
        executable[0].isExecutable = true
        var kind = tree
        kind[0].kind = .symlink
        for variant in [renamed, edited, executable, kind, Array(tree.dropLast())] {
            #expect(TreeSnapshot(entries: variant).treeHash != base)
        }
        // The size is not part of the hash: the digest already covers the content.
        var resized = tree
        resized[0].size = 999
        #expect(TreeSnapshot(entries: resized).treeHash == base)
    }

    @Test func removingWhatWasAddedGivesTheEmptyTreeBack() {
        var sum = TreeHashSum()
        for entry in tree { sum.add(entry) }
        for entry in tree.reversed() { sum.remove(entry) }
        #expect(sum == TreeHashSum())
        #expect(sum.treeHash == TreeSnapshot.empty.treeHash)
    }

    @Test func splicingAChangeUpdatesTheHashAsAFullComputationWould() {
        let before = TreeSnapshot(entries: tree)
        let fresh = [entry("b/c.txt", "c changed"), entry("b/new.txt", "new")]
        var cache = StatCache()
        let (entries, sum) = TreeScanner.splice(fresh, into: before, at: ["b", "a.txt"], cache: &cache)
        let spliced = TreeSnapshot(entries: entries, hashSum: sum)
        let expected = TreeSnapshot(entries: [entry("b/c.txt", "c changed"), entry("b/new.txt", "new"),
                                              entry("b-e.txt", "e"), entry("link", "b/c.txt", kind: .symlink)])
        #expect(spliced == expected)
        #expect(spliced.paths == ["b-e.txt", "b/c.txt", "b/new.txt", "link"])
    }

    @Test func insertionsAtTheSamePlaceKeepPathOrder() {
        // "a-b" sorts before "a/…" and after "a": all three roots insert at the same index.
        let before = TreeSnapshot(entries: [entry("0.txt", "zero"), entry("b.txt", "b")])
        let fresh = [entry("a", "file a"), entry("a-b", "dash"), entry("a./x", "dot")]
        var cache = StatCache()
        let (entries, sum) = TreeScanner.splice(fresh, into: before, at: ["a", "a-b", "a."], cache: &cache)
        let spliced = TreeSnapshot(entries: entries, hashSum: sum)
        #expect(spliced.paths == ["0.txt", "a", "a-b", "a./x", "b.txt"])
        #expect(spliced == TreeSnapshot(entries: before.entries + fresh))
    }

    @Test func theSumCarriesAcrossWords() {
        // Many entries make every limb overflow; the result must still not depend on order.
        let many = (0..<2000).map { entry("d\($0 % 7)/f\($0)", "content \($0)") }
        var shuffled = many
        var state: UInt64 = 42
        for index in stride(from: shuffled.count - 1, to: 0, by: -1) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            shuffled.swapAt(index, Int(state >> 33) % (index + 1))
        }
        #expect(TreeHashSum(many) == TreeHashSum(shuffled))
        var partial = TreeHashSum(many)
        for entry in many.prefix(1000) { partial.remove(entry) }
        #expect(partial == TreeHashSum(many.suffix(1000)))
    }
}
