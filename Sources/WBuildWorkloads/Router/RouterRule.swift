import Synchronization
import WBuildCore
import WBuildSpec
import WBuildSystem

/// The `router:<project>` node: the project's router (`WorkloadRuntime.ensureRouter`), in the
/// graph when any workload has routes and the graph runs containers (`up`, `watch`).
///
/// Its fingerprint covers the route table and the router's settings (`RouterPlan.fingerprint`);
/// the existing-output check is a router container running with this image and address that
/// holds this table. Every routed workload consumes it, so the router runs (or is adopted) before
/// their replicas are, and each replica that becomes ready is sent to it; a request that comes
/// first waits for one (`router.holdMs`). Its output hash covers only where it is published, so
/// editing routes sends the running router its new table without touching the workloads.
public final class RouterRule: NodeRule {
    let spec: ProjectSpec
    let layout: ProjectLayout
    let runtime: WorkloadRuntime
    private let startedHere = Mutex(false)
    /// The plan of the last evaluation, by fingerprint, for the output check (which sees no payload).
    private let evaluatedPlan = Mutex<(fingerprint: Fingerprint, plan: RouterPlan)?>(nil)

    public init(spec: ProjectSpec, layout: ProjectLayout, runtime: WorkloadRuntime) {
        self.spec = spec
        self.layout = layout
        self.runtime = runtime
    }

    /// `router:<project>`.
    public static func nodeID(project: String) -> NodeID { NodeID(kind: "router", name: project) }

    /// Whether this process created the router container (rather than adopting a running one).
    public var createdContainer: Bool { startedHere.withLock { $0 } }

    /// Marks the router as made by this process (a `watch` reload carries it over, so the watch
    /// that started it still removes it when it stops).
    public func noteStartedHere() { startedHere.withLock { $0 = true } }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        let settings = spec.router, layout = self.layout
        let port: Int
        do {
            port = try await BlockingWork.run(name: "wbuild-router-port") { () throws -> Int in
                try RouterPort.resolve(configured: settings.port, host: settings.host, projectRoot: layout.root,
                                       stateDirectory: layout.stateDirectory)
            }
        } catch let error as RouterPortError {
            throw NodeFailure(error.description, hint: error.hint)
        } catch {
            throw NodeFailure("choosing the router's port: \(error)")
        }
        let plan = RouterPlan(spec: spec, port: port)
        evaluatedPlan.withLock { $0 = (plan.fingerprint, plan) }
        return Evaluation(fingerprint: plan.fingerprint, payload: plan)
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        guard let plan = evaluatedPlan.withLock({ $0?.fingerprint == record.fingerprint ? $0?.plan : nil }) else {
            return .missing("the router's table changed")
        }
        return await runtime.adoptRouter(plan) ? .present : .missing("the router is not running with this table")
    }

    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? {
        guard let plan = evaluation.payload as? RouterPlan, await runtime.adoptRouter(plan) else { return nil }
        return (output(plan), "already running with this table")
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        guard let plan = evaluation.payload as? RouterPlan else { throw NodeFailure("internal: no plan for the router") }
        let created = try await runtime.ensureRouter(plan)
        if created { startedHere.withLock { $0 = true } }
        return output(plan)
    }

    private func output(_ plan: RouterPlan) -> NodeOutput {
        var identity = FingerprintBuilder(kind: "router-output")
        identity.add("url", plan.url)
        return NodeOutput(hash: identity.finish().hex, fields: ["urls": plan.url, "routes": String(plan.rules.count)])
    }
}
