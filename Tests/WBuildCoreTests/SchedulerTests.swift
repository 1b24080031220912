import Testing
import Synchronization
@testable import WBuildCore
import WBuildTestSupport

@Suite struct SchedulerTests {
    func scheduler(_ nodes: [BuildGraph.Node], state: StateStore = StateStore(path: "/nonexistent/state")) throws -> Scheduler {
        Scheduler(graph: try BuildGraph(nodes), state: state, events: .none)
    }

    @Test func secondPassIsAllCached() async throws {
        let a = FakeRule(), b = FakeRule()
        let scheduler = try scheduler([node("a", a), node("b", b, inputs: ["a"])])
        let first = await scheduler.runPass(PassOptions())
        #expect(first.results.map(\.status) == [.built, .built])
        #expect(first.results.map(\.reason) == [.neverBuilt, .neverBuilt])
        let second = await scheduler.runPass(PassOptions())
        #expect(second.results.map(\.status) == [.cached, .cached])
        #expect(a.runs.load(ordering: .relaxed) == 1 && b.runs.load(ordering: .relaxed) == 1)
    }

    @Test func changedSettingsRerunTheNodeAndItsConsumers() async throws {
        let a = FakeRule(), b = FakeRule(), c = FakeRule()
        let scheduler = try scheduler([node("a", a), node("b", b, inputs: ["a"]), node("c", c)])
        _ = await scheduler.runPass(PassOptions())
        a.set { $0.settings = "v2"; $0.output = "out2" }
        let pass = await scheduler.runPass(PassOptions())
        #expect(pass.result(id("a"))?.reason == .settingsChanged)
        #expect(pass.result(id("b"))?.reason == .upstreamChanged([id("a")]))
        #expect(pass.result(id("c"))?.status == .cached)
    }

    @Test func propagationStopsWhenTheOutputIsTheSame() async throws {
        let a = FakeRule(), b = FakeRule()
        let scheduler = try scheduler([node("a", a), node("b", b, inputs: ["a"])])
        _ = await scheduler.runPass(PassOptions())
        a.set { $0.settings = "v2" }  // runs again, same output
        let pass = await scheduler.runPass(PassOptions())
        #expect(pass.result(id("a"))?.status == .built)
        #expect(pass.result(id("b"))?.status == .cached)
        #expect(b.runs.load(ordering: .relaxed) == 1)
    }

    @Test func missingOutputRerunsTheNode() async throws {
        let a = FakeRule()
        let scheduler = try scheduler([node("a", a)])
        _ = await scheduler.runPass(PassOptions())
        a.set { $0.outputPresent = false }
        let pass = await scheduler.runPass(PassOptions())
        #expect(pass.result(id("a"))?.reason == .outputMissing("it was deleted"))
        #expect(pass.result(id("a"))?.status == .built)
    }

    @Test func failureBlocksOnlyDependents() async throws {
        let bad = FakeRule(.init(fails: true))
        let scheduler = try scheduler([
            node("bad", bad), node("after", FakeRule(), inputs: ["bad"]), node("later", FakeRule(), inputs: ["after"]),
            node("independent", FakeRule()),
        ])
        let pass = await scheduler.runPass(PassOptions())
        #expect(!pass.ok)
        #expect(pass.result(id("bad"))?.status == .failed)
        #expect(pass.result(id("bad"))?.failure?.tail == ["boom"])
        #expect(pass.result(id("after"))?.status == .blocked)
        #expect(pass.result(id("after"))?.reason == .inputFailed([id("bad")]))
        #expect(pass.result(id("later"))?.status == .blocked)
        #expect(pass.result(id("independent"))?.status == .built)
        // After a fix, the failed node runs again even though its settings did not change.
        bad.set { $0.fails = false }
        let fixed = await scheduler.runPass(PassOptions())
        #expect(fixed.ok)
        #expect(fixed.result(id("bad"))?.status == .built)
    }

    @Test func parallelismIsBounded() async throws {
        let gauge = ConcurrencyGauge()
        let rules = (0..<6).map { _ in FakeRule(.init(runFor: .milliseconds(30)), gauge: gauge) }
        let scheduler = try scheduler(rules.enumerated().map { node("n\($0.offset)", $0.element) })
        _ = await scheduler.runPass(PassOptions(parallelism: 2))
        #expect(gauge.most == 2)
        let total = rules.reduce(0) { $0 + $1.runs.load(ordering: .relaxed) }
        #expect(total == 6)
    }

    @Test func targetsLimitThePassToTheirClosure() async throws {
        let a = FakeRule(), b = FakeRule(), other = FakeRule()
        let scheduler = try scheduler([node("a", a), node("b", b, inputs: ["a"]), node("other", other)])
        let pass = await scheduler.runPass(PassOptions(targets: [id("b")]))
        #expect(pass.results.map(\.id) == [id("a"), id("b")])
        #expect(other.runs.load(ordering: .relaxed) == 0)
    }

    @Test func forceRunsUpToDateNodes() async throws {
        let a = FakeRule()
        let scheduler = try scheduler([node("a", a)])
        _ = await scheduler.runPass(PassOptions())
        let pass = await scheduler.runPass(PassOptions(force: true))
        #expect(pass.result(id("a"))?.reason == .forced)
        #expect(a.runs.load(ordering: .relaxed) == 2)
    }

    @Test func cancellingARunningNodeEndsItCancelledAndBlocksConsumers() async throws {
        let slow = FakeRule(.init(runFor: .seconds(30)))
        let scheduler = try scheduler([node("slow", slow), node("after", FakeRule(), inputs: ["slow"])])
        async let pass = scheduler.runPass(PassOptions())
        let deadline = ContinuousClock.now + .seconds(10)
        while !scheduler.runningNodes.contains(id("slow")) && ContinuousClock.now < deadline {
            await Task.yield()
        }
        scheduler.cancel([id("slow")])
        let summary = await pass
        #expect(summary.result(id("slow"))?.status == .cancelled)
        #expect(summary.result(id("after"))?.status == .blocked)
        // Nothing was recorded for the cancelled node: the next pass runs it.
        #expect(scheduler.state.record(id("slow")) == nil)
    }

    @Test func recordsSurviveAReloadOfTheStore() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url(".wbuild/state.json")
        let a = FakeRule()
        let first = Scheduler(graph: try BuildGraph([node("a", a)]), state: StateStore(path: path), events: .none)
        _ = await first.runPass(PassOptions())
        try first.state.save()
        let (reloaded, warning) = StateStore.load(path: path)
        #expect(warning == nil)
        let second = Scheduler(graph: try BuildGraph([node("a", a)]), state: reloaded, events: .none)
        let pass = await second.runPass(PassOptions())
        #expect(pass.result(id("a"))?.status == .cached)
    }
}

extension SchedulerTests {
    @Test func aNodeSaysWhatRunningWorkItWaitsOn() async throws {
        final class Waits: Sendable {
            let seen = Mutex<[(NodeID, [NodeID])]>([])
        }
        let waits = Waits()
        let sink = EventSink { event in
            if case .nodeWaiting(let id, let inputs) = event { waits.seen.withLock { $0.append((id, inputs)) } }
        }
        let scheduler = Scheduler(graph: try BuildGraph([node("slow", FakeRule(.init(runFor: .milliseconds(50)))),
                                                          node("after", FakeRule(), inputs: ["slow"])]),
                                  state: StateStore(path: "/nonexistent/state"), events: sink)
        _ = await scheduler.runPass(PassOptions())
        let seen = waits.seen.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.0 == id("after") && seen.first?.1 == [id("slow")])
    }
}

extension SchedulerTests {
    @Test func forcedNodesRunAgainWhileWhatTheyConsumeStaysCached() async throws {
        let a = FakeRule(), b = FakeRule()
        let scheduler = try scheduler([node("a", a), node("b", b, inputs: ["a"])])
        _ = await scheduler.runPass(PassOptions())
        let pass = await scheduler.runPass(PassOptions(forcedNodes: [id("b")]))
        #expect(pass.result(id("a"))?.status == .cached)
        #expect(pass.result(id("b"))?.status == .built)
        #expect(pass.result(id("b"))?.reason == .forced)
        #expect(a.runs.load(ordering: .relaxed) == 1 && b.runs.load(ordering: .relaxed) == 2)
    }
}
