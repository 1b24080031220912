import WBuildCore
import WBuildDocker

/// An `image:NAME` node for a workload that runs a ready-made image (`image: "name:tag"`):
/// used when the engine has it, pulled when missing. A pull that cannot work says which image,
/// why, and what to do.
public final class ImagePullRule: NodeRule {
    public let reference: String
    let client: DockerClient

    public init(reference: String, client: DockerClient) {
        self.reference = reference
        self.client = client
    }

    public func evaluate(_ context: NodeContext) async throws(NodeFailure) -> Evaluation {
        var builder = FingerprintBuilder(kind: "pull")
        builder.add("reference", reference)
        return Evaluation(fingerprint: builder.finish())
    }

    public func checkOutput(_ record: NodeRecord, _ context: NodeContext) async -> OutputCheck {
        guard let info = try? await client.inspectImage(reference) else { return .missing("\(reference) is not in the engine") }
        return info.id == record.output.hash ? .present : .missing("\(reference) now names another image")
    }

    public func existingOutput(_ context: NodeContext, _ evaluation: Evaluation) async -> (NodeOutput, String)? {
        guard let info = try? await client.inspectImage(reference) else { return nil }
        return (output(info.id), "\(reference) is in the engine")
    }

    public func run(_ context: NodeContext, _ evaluation: Evaluation) async throws(NodeFailure) -> NodeOutput {
        let events = context.events, id = context.id
        do {
            if let info = try await client.inspectImage(reference) { return output(info.id) }
            try await client.pullImage(reference) { progress in
                if progress.layer == nil { events.emit(.log(id, .stdout, progress.status)) }
            }
            guard let info = try await client.inspectImage(reference) else {
                throw NodeFailure("pulled \(reference) but the engine does not list it")
            }
            return output(info.id)
        } catch let error as NodeFailure {
            throw error
        } catch let error as DockerError {
            throw NodeFailure(error.message, hint: error.hint)
        } catch {
            throw NodeFailure("cannot pull \(reference): \(error)")
        }
    }

    func output(_ id: String) -> NodeOutput { NodeOutput(hash: id, fields: ["image": reference, "imageId": id]) }
}
