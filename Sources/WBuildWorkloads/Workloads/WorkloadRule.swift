import Synchronization
import WBuildCore
import WBuildDocker
import WBuildSpec

/// A `workload:NAME` node: the workload's containers on the local engine (`up` and `watch`).
///
/// Its fingerprint covers the image id, runtime settings and rendered bindings
/// (`WorkloadPlan.fingerprint`). Containers already running with that fingerprint — after a
/// restart of wbuild, or started by `up` — are left alone; otherwise `WorkloadRuntime.up`
/// replaces them without going dark and returns once they are ready. Consumers (`dependsOn`,
/// bindings) therefore start only after this workload is ready. A forced run (`up --force`,
/// `wbuild restart`) replaces replicas even when they run with the same fingerprint.
public final class WorkloadRule: NodeRule {
    public let spec: WorkloadSpec
    let project: ProjectSpec
    let projectRoot: String
    let runtime: WorkloadRuntime
    let readyTimeout: Duration
    /// Called after a container is created and before it starts (the live-update supervisor
    /// is copied in here).
    let beforeStart: @Sendable (WorkloadPlan, String) async throws -> Void
    /// Called after new containers are up (the live-update ledger is replayed here).
    let afterUp: @Sendable (WorkloadPlan, WorkloadState) async throws -> Void
    private let startedHere = Mutex(false)
    /// The plan of the last evaluation, by fingerprint, for the output check (which sees no payload).
    private let evaluatedPlan = Mutex<(fingerprint: Fingerprint, plan: WorkloadPlan)?>(nil)

    public init(spec: WorkloadSpec, project: ProjectSpec, projectRoot: String, runtime: WorkloadRuntime,
                readyTimeout: Duration, beforeStart: @escaping @Sendable (WorkloadPlan, String) async throws -> Void,
                afterUp: @escaping @Sendable (WorkloadPlan, WorkloadState) async throws -> Void) {
        self.spec = spec
        self.project = project
        self.projectRoot = projectRoot
        self.runtime = runtime
        self.readyTimeout = readyTimeout
        self.beforeStart = beforeStart
        self.afterUp = afterUp
        // Logs of containers already running are forwarded before the first evaluation: mask from the start.
        var secrets = spec.secretEnv
        if case .build(let build) = spec.source { secrets += build.secretArgs }
        runtime.remember(values: SecretResolver(projectRoot: projectRoot).readableValues(secrets))
    }

    /// Every workload with live-update rules runs under wbuild's supervisor: files then travel
    /// over its channel (measured ~15–25× faster than the engine's archive API for an edit) and
    /// `restart: "process"` can restart just the process. It reaps and forwards signals like the
    /// engine's init, which the others keep.
    public static func usesSupervisor(_ spec: WorkloadSpec) -> Bool { spec.liveUpdate != nil }

    /// Whether this process created (rather than adopted) the workload's containers.
    public var createdContainers: Bool { startedHere.withLock { $0 } }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        var references: [String: String] = [:]
        for (id, output) in context.inputOutputs where id.kind == "image" {
            references[id.name] = output.fields["image"]
        }
        var plan: WorkloadPlan
        do {
            plan = try WorkloadPlan.make(spec: spec, project: project, imageReferences: references, projectRoot: projectRoot,
                                         wrapWithSupervisor: Self.usesSupervisor(spec))
        } catch {
            throw NodeFailure(error.description, hint: error.hint)
        }
        do {
            plan.secretEnvironment = try await SecretResolver(projectRoot: projectRoot).resolveOffPool(spec.secretEnv)
            runtime.remember(plan.secretEnvironment)
        } catch {
            throw NodeFailure(error.description, hint: error.hint)
        }
        let imageID = context.inputOutputs[NodeID(kind: "image", name: spec.name)]?.hash
        if plan.entrypoint == nil {
            // The supervisor, or the engine's init, runs the process itself: it needs the image's defaults.
            guard let info = try? await runtime.client.inspectImage(imageID ?? plan.image) else {
                throw NodeFailure("cannot read the image config of \(plan.image) for \(spec.name)")
            }
            plan.imageProcess = ImageProcess(entrypoint: info.entrypoint, command: info.command)
        }
        let fingerprint = plan.fingerprint(imageID: imageID)
        evaluatedPlan.withLock { [plan] in $0 = (fingerprint, plan) }
        return Evaluation(fingerprint: fingerprint, payload: plan)
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        let plan = evaluatedPlan.withLock { $0?.fingerprint == record.fingerprint ? $0?.plan : nil }
        return await running(record.fingerprint, plan: plan)
            ? .present : .missing("its containers (and front door) are not running with this configuration")
    }

    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? {
        guard await running(evaluation.fingerprint, plan: evaluation.payload as? WorkloadPlan) else { return nil }
        return (output(evaluation.fingerprint, urls: await urls()), "already running with this configuration")
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        guard let plan = evaluation.payload as? WorkloadPlan else { throw NodeFailure("internal: no plan for \(spec.name)") }
        let hook = beforeStart
        let state: WorkloadState
        do {
            state = try await runtime.up(plan, fingerprint: evaluation.fingerprint,
                                         beforeStart: { containerID in try await hook(plan, containerID) },
                                         timeout: readyTimeout, replace: context.forced)
        } catch {
            // The engine's message or the last log lines could quote the environment.
            let mask = SecretMask(plan.secretEnvironment)
            throw NodeFailure(mask.apply(error.message), tail: error.tail.map(mask.apply), hint: error.hint.map(mask.apply))
        }
        startedHere.withLock { $0 = true }
        do {
            try await afterUp(plan, state)
        } catch {
            throw NodeFailure("\(spec.name) started but the files synced since its image was built could not be replayed: \(error)",
                              hint: "the next change rebuilds the image; or run `wbuild once` to rebuild it now")
        }
        return output(evaluation.fingerprint, urls: state.urls)
    }

    func output(_ fingerprint: Fingerprint, urls: [String]) -> NodeOutput {
        NodeOutput(hash: fingerprint.hex, fields: urls.isEmpty ? [:] : ["urls": urls.joined(separator: " ")])
    }

    /// Whether every replica runs (ready or starting) with `fingerprint`, and the front door
    /// `plan` needs runs with its ports (`WorkloadTrust`).
    func running(_ fingerprint: Fingerprint, plan: WorkloadPlan?) async -> Bool {
        guard let states = try? await runtime.status() else { return false }
        return WorkloadTrust.trusts(states.first { $0.workload == spec.name }, fingerprint: fingerprint.hex,
                                    replicas: spec.replicas, plan: plan)
    }

    func urls() async -> [String] {
        (try? await runtime.status().first(where: { $0.workload == spec.name }))?.urls ?? []
    }
}
