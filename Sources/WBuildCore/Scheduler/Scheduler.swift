import Foundation
import Synchronization

/// What one pass covers and how.
public struct PassOptions: Sendable {
    /// Run only these nodes and what they consume; `nil` means the whole graph.
    public var targets: Set<NodeID>?
    /// Run every node in scope even when up to date.
    public var force: Bool
    /// Run these nodes even when up to date (and only these, unless `force`).
    public var forcedNodes: Set<NodeID>
    /// How many nodes may run at once.
    public var parallelism: Int

    public init(targets: Set<NodeID>? = nil, force: Bool = false, forcedNodes: Set<NodeID> = [], parallelism: Int = 2) {
        self.targets = targets
        self.forcedNodes = forcedNodes
        self.force = force
        self.parallelism = max(1, parallelism)
    }
}

/// Runs passes over a graph: inputs before consumers, independent nodes in parallel (bounded),
/// a failure blocks only its dependents, up-to-date nodes are not run.
///
/// `cancel(_:)` stops running nodes that a newer change made stale; they end as `cancelled`
/// and the watch loop runs another pass for them.
public final class Scheduler: Sendable {
    public let graph: BuildGraph
    public let state: StateStore
    public let events: EventSink
    private let running = Mutex<[NodeID: Task<NodeResult, Never>]>([:])
    /// Why a node was running when a newer change cancelled it: the next pass sees only that an
    /// input moved on ("upstream changed"), while the files that started it are still the reason.
    private let cancelledReasons = Mutex<[NodeID: RunReason]>([:])

    public init(graph: BuildGraph, state: StateStore, events: EventSink) {
        self.graph = graph
        self.state = state
        self.events = events
    }

    /// Cancels those of `nodes` that are running now.
    public func cancel(_ nodes: Set<NodeID>) {
        let tasks = running.withLock { running in nodes.compactMap { running[$0] } }
        for task in tasks { task.cancel() }
    }

    /// Nodes running at this moment.
    public var runningNodes: Set<NodeID> { running.withLock { Set($0.keys) } }

    public func runPass(_ options: PassOptions) async -> PassSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let scope = options.targets.map { graph.closure(of: $0) } ?? Set(graph.order)
        var finished: [NodeID: NodeResult] = [:]
        var statuses: [NodeID: NodeStatus] = [:]
        var outputs: [NodeID: NodeOutput] = [:]
        var changes: [NodeID: [String]] = [:]
        var inFlight = Set<NodeID>()
        var announcedWaiting = Set<NodeID>()

        await withTaskGroup(of: (NodeResult, [String]).self) { group in
            while true {
                let plan = SchedulePlan.next(graph: graph, scope: scope, finished: statuses, running: inFlight)
                for (id, badInputs) in plan.blocked {
                    let result = NodeResult(id: id, status: .blocked, milliseconds: 0, reason: .inputFailed(badInputs))
                    finished[id] = result
                    statuses[id] = .blocked
                    state.setLastRun(LastRun(status: .blocked, reason: result.reason.description, milliseconds: 0,
                                             finishedAt: Date().timeIntervalSince1970), for: id)
                    events.emit(.nodeDone(result))
                }
                if !plan.blocked.isEmpty { continue }
                for id in plan.ready.prefix(options.parallelism - inFlight.count) {
                    guard let node = graph.node(id) else { continue }
                    inFlight.insert(id)
                    let inputOutputs = Dictionary(uniqueKeysWithValues: node.inputs.compactMap { input in
                        outputs[input].map { (input, $0) }
                    })
                    let inputChanges = Dictionary(uniqueKeysWithValues: node.inputs.compactMap { input in
                        changes[input].map { (input, $0) }
                    })
                    let force = options.force || options.forcedNodes.contains(node.id)
                    group.addTask {
                        await self.runTracked(node, inputOutputs: inputOutputs, inputChanges: inputChanges, force: force)
                    }
                }
                // Say once per node what it waits on, when that is work running now.
                for (id, inputs) in plan.waiting.sorted(by: { $0.key < $1.key }) where !announcedWaiting.contains(id) {
                    // Through a waiting input (a source waiting on the task that writes its files)
                    // to the work that is actually running.
                    let running = Array(Set(inputs.flatMap { plan.waiting[$0] ?? [$0] }.filter { inFlight.contains($0) })).sorted()
                    if !running.isEmpty {
                        announcedWaiting.insert(id)
                        events.emit(.nodeWaiting(id, on: running))
                    }
                }
                if inFlight.isEmpty { break }
                guard let (result, changed) = await group.next() else { break }
                inFlight.remove(result.id)
                finished[result.id] = result
                statuses[result.id] = result.status
                if let output = result.output { outputs[result.id] = output }
                if result.status == .built, !changed.isEmpty { changes[result.id] = changed }
            }
        }
        let ordered = graph.order.compactMap { finished[$0] }
        let summary = PassSummary(results: ordered, milliseconds: Self.milliseconds(clock.now - start))
        events.emit(.passDone(summary))
        return summary
    }

    /// Runs one node in a task of its own so `cancel(_:)` can reach it.
    private func runTracked(_ node: BuildGraph.Node, inputOutputs: [NodeID: NodeOutput],
                            inputChanges: [NodeID: [String]], force: Bool) async -> (NodeResult, [String]) {
        let changed = Mutex<[String]>([])
        let task = Task {
            await self.process(node, inputOutputs: inputOutputs, inputChanges: inputChanges, force: force) { paths in
                changed.withLock { $0 = paths }
            }
        }
        running.withLock { $0[node.id] = task }
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        running.withLock { _ = $0.removeValue(forKey: node.id) }
        return (result, changed.withLock { $0 })
    }

    private func process(_ node: BuildGraph.Node, inputOutputs: [NodeID: NodeOutput],
                         inputChanges: [NodeID: [String]], force: Bool,
                         reportChanges: @Sendable ([String]) -> Void) async -> NodeResult {
        let clock = ContinuousClock()
        let start = clock.now
        let id = node.id
        let previous = state.record(id)
        let context = NodeContext(id: id, inputOutputs: inputOutputs, previous: previous, events: events, forced: force)
        var reason = RunReason.upToDate

        func finish(_ status: NodeStatus, output: NodeOutput? = nil, failure: NodeFailure? = nil) -> NodeResult {
            let ms = Self.milliseconds(clock.now - start)
            cancelledReasons.withLock { saved in
                if status == .cancelled, reason != .upToDate { saved[id] = reason } else if status != .cancelled { saved[id] = nil }
            }
            let result = NodeResult(id: id, status: status, milliseconds: ms, reason: reason, output: output, failure: failure)
            if status != .cancelled {
                let why = failure.map { "\(reason) — \($0.message)" } ?? reason.description
                state.setLastRun(LastRun(status: status, reason: why, milliseconds: ms,
                                         finishedAt: Date().timeIntervalSince1970), for: id)
            }
            events.emit(.nodeDone(result))
            return result
        }

        let evaluation: Evaluation
        do {
            evaluation = try await node.rule.evaluate(context)
        } catch {
            return finish(Task.isCancelled ? .cancelled : .failed, failure: error)
        }
        let inputHashes = Dictionary(uniqueKeysWithValues: inputOutputs.map { ($0.key.description, $0.value.hash) })
        reason = Self.reason(previous: previous, evaluation: evaluation, inputHashes: inputHashes,
                             inputChanges: inputChanges, force: force)
        if case .upstreamChanged = reason, let saved = cancelledReasons.withLock({ $0[id] }), case .inputsChanged = saved {
            reason = saved
        }
        if reason == .upToDate, let previous {
            switch await node.rule.checkOutput(previous, context) {
            case .present:
                return finish(.cached, output: previous.output)
            case .missing(let why):
                reason = .outputMissing(why)
            }
        }
        if reason != .forced, let (output, what) = await node.rule.existingOutput(context, evaluation) {
            state.setRecord(NodeRecord(fingerprint: evaluation.fingerprint, inputHashes: inputHashes, output: output,
                                       finishedAt: Date().timeIntervalSince1970), for: id)
            reason = .alreadyExists(what)
            return finish(.cached, output: output)
        }
        if Task.isCancelled { return finish(.cancelled) }
        events.emit(.nodeStart(id, reason))
        do {
            let output = try await node.rule.run(context, evaluation)
            if Task.isCancelled { return finish(.cancelled) }
            state.setRecord(NodeRecord(fingerprint: evaluation.fingerprint, inputHashes: inputHashes, output: output,
                                       finishedAt: Date().timeIntervalSince1970), for: id)
            reportChanges(evaluation.changedPaths)
            return finish(.built, output: output)
        } catch {
            return finish(Task.isCancelled ? .cancelled : .failed, failure: error)
        }
    }

    /// Why a node must run, or `.upToDate`. Order matters: the first difference found is the one reported.
    static func reason(previous: NodeRecord?, evaluation: Evaluation, inputHashes: [String: String],
                       inputChanges: [NodeID: [String]], force: Bool) -> RunReason {
        guard let previous else { return .neverBuilt }
        if force { return .forced }
        // Inputs first: a rule may fold its inputs into its own fingerprint (images do, for their
        // tag), and "inputs changed: api/src/main.js" says more than "settings changed".
        let changedInputs = inputHashes.keys.filter { previous.inputHashes[$0] != inputHashes[$0] }
            .compactMap(NodeID.init(parsing:)).sorted()
        let removedInputs = previous.inputHashes.keys.filter { inputHashes[$0] == nil }.compactMap(NodeID.init(parsing:))
        if !changedInputs.isEmpty || !removedInputs.isEmpty {
            let files = changedInputs.flatMap { inputChanges[$0] ?? [] }
            if !files.isEmpty, changedInputs.allSatisfy({ inputChanges[$0] != nil }) {
                return .inputsChanged(Array(Set(files)).sorted())
            }
            return .upstreamChanged((changedInputs + removedInputs).sorted())
        }
        if previous.fingerprint != evaluation.fingerprint {
            return evaluation.changedPaths.isEmpty && !evaluation.coversFiles
                ? .settingsChanged : .inputsChanged(evaluation.changedPaths)
        }
        return .upToDate
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
