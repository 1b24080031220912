import Testing
@testable import WBuildCore

@Suite struct BuildGraphTests {
    @Test func orderPutsInputsFirstAndIsStable() throws {
        let graph = try BuildGraph([
            node("c", FakeRule(), inputs: ["a", "b"]), node("b", FakeRule(), inputs: ["a"]), node("a", FakeRule()),
            node("z", FakeRule()),
        ])
        #expect(graph.order == [id("a"), id("b"), id("c"), id("z")])
        #expect(graph.dependents[id("a")] == [id("b"), id("c")])
    }

    @Test func cycleIsReportedWithItsPath() throws {
        do {
            _ = try BuildGraph([node("a", FakeRule(), inputs: ["b"]), node("b", FakeRule(), inputs: ["a"]), node("c", FakeRule())])
            Issue.record("expected a cycle error")
        } catch {
            #expect(error == .cycle([id("a"), id("b"), id("a")]))
            #expect(error.description == "dependency cycle: task:a → task:b → task:a; remove one of these dependencies")
        }
    }

    @Test func selfDependencyIsACycle() {
        #expect(throws: GraphError.cycle([id("a"), id("a")])) {
            try BuildGraph([node("a", FakeRule(), inputs: ["a"])])
        }
    }

    @Test func unknownInputIsNamed() {
        #expect(throws: GraphError.unknownInput(node: id("a"), input: id("ghost"))) {
            try BuildGraph([node("a", FakeRule(), inputs: ["ghost"])])
        }
    }

    @Test func closureAndDownstream() throws {
        let graph = try BuildGraph([
            node("a", FakeRule()), node("b", FakeRule(), inputs: ["a"]), node("c", FakeRule(), inputs: ["b"]), node("d", FakeRule()),
        ])
        #expect(graph.closure(of: [id("c")]) == [id("a"), id("b"), id("c")])
        #expect(graph.downstream(of: [id("a")]) == [id("a"), id("b"), id("c")])
    }

    @Test func planSaysWhatWaitsOnWhat() throws {
        let graph = try BuildGraph([node("a", FakeRule()), node("b", FakeRule(), inputs: ["a"]), node("c", FakeRule(), inputs: ["b"])])
        let scope = Set(graph.order)
        var plan = SchedulePlan.next(graph: graph, scope: scope, finished: [:], running: [])
        #expect(plan.ready == [id("a")])
        #expect(plan.waiting == [id("b"): [id("a")], id("c"): [id("b")]])
        plan = SchedulePlan.next(graph: graph, scope: scope, finished: [id("a"): .failed], running: [])
        #expect(plan.blocked.map(\.0) == [id("b")])
        #expect(plan.ready.isEmpty)
    }
}
