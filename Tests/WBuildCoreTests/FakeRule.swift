import Synchronization
@testable import WBuildCore

/// A rule whose settings, output and behaviour the test controls, counting its runs.
final class FakeRule: NodeRule {
    struct Behaviour: Sendable {
        var settings = "v1"
        var output = "out1"
        var fails = false
        var outputPresent = true
        var runFor: Duration = .zero
    }
    let behaviour: Mutex<Behaviour>
    let runs = Atomic<Int>(0)
    let gauge: ConcurrencyGauge

    init(_ behaviour: Behaviour = Behaviour(), gauge: ConcurrencyGauge = ConcurrencyGauge()) {
        self.behaviour = Mutex(behaviour)
        self.gauge = gauge
    }

    func set(_ update: (inout Behaviour) -> Void) { behaviour.withLock { update(&$0) } }

    func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        var builder = FingerprintBuilder(kind: "fake")
        builder.add("settings", behaviour.withLock { $0.settings })
        return Evaluation(fingerprint: builder.finish())
    }

    func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        behaviour.withLock { $0.outputPresent } ? .present : .missing("it was deleted")
    }

    func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        runs.add(1, ordering: .relaxed)
        gauge.enter()
        defer { gauge.leave() }
        let current = behaviour.withLock { $0 }
        if current.runFor > .zero {
            try? await Task.sleep(for: current.runFor)
        }
        if Task.isCancelled { throw NodeFailure("cancelled") }
        context.log("running \(context.id)")
        if current.fails { throw NodeFailure("command exited with code 2", tail: ["boom"]) }
        return NodeOutput(hash: current.output)
    }
}

func node(_ name: String, _ rule: FakeRule, inputs: [String] = []) -> BuildGraph.Node {
    BuildGraph.Node(id: NodeID(kind: "task", name: name), inputs: inputs.map { NodeID(kind: "task", name: $0) }, rule: rule)
}

func id(_ name: String) -> NodeID { NodeID(kind: "task", name: name) }

/// Counts how many rules sharing it run at the same moment, and the most that ever did.
final class ConcurrencyGauge: Sendable {
    private let counts = Mutex<(now: Int, most: Int)>((0, 0))
    func enter() { counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
    func leave() { counts.withLock { $0.now -= 1 } }
    var most: Int { counts.withLock { $0.most } }
}
