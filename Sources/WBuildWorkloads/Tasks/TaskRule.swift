#if canImport(Glibc)
import Glibc
#endif
import WBuildCore
import WBuildFiles
import WBuildSystem

/// A `task:NAME` node that runs a local command (`cmd`) once per change of its inputs.
///
/// Runs when its fingerprint (command, directory, env, declared outputs, input file hashes)
/// changed or its declared outputs are missing or altered; otherwise it is cached. Output is
/// streamed line by line with the task's name as prefix. A newer change cancels a running
/// task: SIGTERM to its process group, SIGKILL after `stopGrace`.
public final class TaskRule: NodeRule {
    public let definition: TaskDefinition
    let outputCache: StatCacheFile
    let stopGrace: Duration

    public init(_ definition: TaskDefinition, outputCachePath: String, stopGrace: Duration = .seconds(2)) {
        self.definition = definition
        self.outputCache = StatCacheFile(path: outputCachePath)
        self.stopGrace = stopGrace
    }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        var builder = FingerprintBuilder(kind: "task")
        for (label, value) in definition.fingerprint() { builder.add(label, value) }
        return Evaluation(fingerprint: builder.finish())
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        guard !definition.outputs.isEmpty else { return .present }
        do {
            let hash = try await outputHash(context)
            return hash == record.output.hash ? .present
                : .missing("\(definition.outputs.joined(separator: ", ")) deleted or altered since the last run")
        } catch {
            return .missing(error.message)
        }
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        let launch = ProcessLaunch(definition.command, directory: definition.directory,
                                   environment: Dictionary(definition.environment, uniquingKeysWith: { _, last in last }))
        let events = context.events, id = context.id
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(launch) { chunk in
                events.emit(.log(id, chunk.stream == .stderr ? .stderr : .stdout, chunk.line))
            }
        } catch {
            throw NodeFailure(error.description, hint: error.hint)
        }
        let grace = stopGrace
        let status = await withTaskCancellationHandler {
            await child.wait()
        } onCancel: {
            Task { await child.terminate(grace: grace) }
        }
        if Task.isCancelled { throw NodeFailure("cancelled: a newer change made it stale") }
        guard status.isSuccess else {
            throw NodeFailure("`\(definition.command)` failed with \(status)", tail: child.tail.map(\.line),
                              hint: "fix the command or its inputs; wbuild runs it again when they change")
        }
        if definition.outputs.isEmpty {
            // No declared outputs: consumers see a new output whenever this task ran for new inputs.
            var builder = FingerprintBuilder(kind: "task-run")
            builder.add("fingerprint", evaluation.fingerprint)
            for (input, output) in context.inputOutputs.sorted(by: { $0.key < $1.key }) {
                builder.add(input.description, output.hash)
            }
            return NodeOutput(hash: builder.finish().hex)
        }
        let hash = try await outputHash(context)
        return NodeOutput(hash: hash, fields: ["outputs": definition.outputs.joined(separator: ",")])
    }

    /// Tree hash of the declared outputs, read through a stat cache of their own.
    func outputHash(_ context: NodeContext) async throws(NodeFailure) -> String {
        let sourceSet: SourceSet
        do {
            sourceSet = try SourceSet(root: definition.projectRoot, includePatterns: definition.outputs)
        } catch {
            throw NodeFailure("task \(definition.name): bad output pattern: \(error)")
        }
        var cache = outputCache.load()
        let before = cache
        let result: ScanResult
        do {
            result = try await TreeScanner(sourceSet: sourceSet).scanInBackground(cache: &cache)
        } catch {
            throw NodeFailure("cannot read the outputs of task \(definition.name): \(error)")
        }
        if cache != before { try? outputCache.save(cache) }
        return result.snapshot.treeHash.hexString
    }
}
