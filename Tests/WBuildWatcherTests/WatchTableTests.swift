import Testing
@testable import WBuildWatcher

/// The watch-descriptor ↔ directory map across renames and removals.
@Suite struct WatchTableTests {
    @Test func renameRekeysTheDirectoryAndEveryDescendantOnly() {
        var table = WatchTable()
        table.set(1, path: "")
        table.set(2, path: "src")
        table.set(3, path: "src/api")
        table.set(4, path: "srcs")  // shares a prefix but is not under "src"
        table.rename("src", to: "lib/src")
        #expect(table.path(of: 2) == "lib/src")
        #expect(table.path(of: 3) == "lib/src/api")
        #expect(table.path(of: 4) == "srcs")
        #expect(table.watch(at: "src") == nil)
        #expect(table.watch(at: "lib/src/api") == 3)
        #expect(Set(table.watches(within: "lib")) == [2, 3])
    }

    @Test func aReturnedWatchMovesToItsNewPath() {
        var table = WatchTable()
        table.set(5, path: "old")
        table.set(5, path: "new")
        #expect(table.watch(at: "old") == nil)
        #expect(table.path(of: 5) == "new")
        table.remove(5)
        #expect(table.count == 0)
    }
}
