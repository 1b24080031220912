import Testing
@testable import wbuild_bench

@Suite struct ResultsSectionTests {
    private let earlier = """
    Latest run of tree, watch: T1 · commit a
    Latest run of up: T0 · commit z

    | suite | measure | wbuild | peer / floor | ratio | goal | met |
    |---|---|---|---|---|---|---|
    | start | process start | 5 ms | | | | |
    | tree 1k | no-op | 11 ms | | | | |
    | watch 100k | p50 | 34 ms | | | | |
    | up shop | up | 1461 ms | | | | |

    Problems:

    - watch 100k: only 3 of 50 writes were timed

      ```
      detail
      ```

    - `docker compose version` ended with 1

    Notes:

    - tree 1k: the pass itself
    - trees kept in /tmp/x
    """

    private func latestTree() -> ResultsSection {
        ResultsSection(runs: [.init(suites: [.tree], summary: "T2 · commit b")],
                       rows: ["| start | process start | 4 ms | | | | |", "| tree 1k | no-op | 10 ms | | | | |"],
                       problems: [], notes: ["- tree 1k: the pass, again"])
    }

    @Test func readsWhatItWrites() {
        let section = ResultsSection(parsing: earlier)
        #expect(section.runs == [.init(suites: [.tree, .watch], summary: "T1 · commit a"), .init(suites: [.up], summary: "T0 · commit z")])
        #expect(section.rows.count == 4)
        #expect(section.problems == ["- watch 100k: only 3 of 50 writes were timed\n\n  ```\n  detail\n  ```",
                                     "- `docker compose version` ended with 1"])
        #expect(section.notes == ["- tree 1k: the pass itself", "- trees kept in /tmp/x"])
        #expect(ResultsSection(parsing: section.markdown) == section)
    }

    @Test func suitesThatRanReplaceTheirOwnFiguresOnly() {
        let merged = ResultsSection(parsing: earlier).merging(latestTree())
        #expect(merged.runs == [.init(suites: [.tree], summary: "T2 · commit b"),
                                .init(suites: [.watch], summary: "T1 · commit a"),
                                .init(suites: [.up], summary: "T0 · commit z")])
        #expect(merged.rows == ["| start | process start | 4 ms | | | | |", "| tree 1k | no-op | 10 ms | | | | |",
                                "| watch 100k | p50 | 34 ms | | | | |", "| up shop | up | 1461 ms | | | | |"])
        #expect(merged.problems == ["- watch 100k: only 3 of 50 writes were timed\n\n  ```\n  detail\n  ```"])
        #expect(merged.notes == ["- tree 1k: the pass, again"])
    }

    @Test func rowsKeepTheSuiteOrderWhateverRanLast() {
        let up = ResultsSection(runs: [.init(suites: [.up], summary: "T3")], rows: ["| up shop | up | 1300 ms | | | | |"])
        let merged = ResultsSection(parsing: earlier).merging(up).merging(latestTree())
        #expect(merged.rows.map { ResultsSection.suite(of: $0) } == [.tree, .tree, .watch, .up])
        #expect(merged.runs.map(\.summary) == ["T2 · commit b", "T3", "T1 · commit a"])
    }

    @Test func theSingleHeaderLineOfEarlierVersionsCoversTheUnclaimedSuites() {
        let old = "Latest run: T0 · commit z\n\n| suite | measure |\n|---|---|\n| tree 1k | a |\n| images 1k | b |"
        #expect(ResultsSection(parsing: old).runs == [.init(suites: [.tree, .images], summary: "T0 · commit z")])
    }
}
