import Foundation
import WBuildSystem

/// One timed `wbuild publish --json` and the checks that it did what the row claims. A figure
/// counts only when the command exited 0, its result (if it printed one) is ok, and
/// `.wbuild/out/images.json` (deleted before the run) names the three images in this registry
/// with the digests the registry itself answers (`HEAD /v2/…/manifests/TAG`). Then a first
/// publish must have pushed and a no-op must not have: a no-op whose `--json` shows a push node
/// that ran is left out; event counts that look wrong otherwise are listed as suspect.
extension PublishSuite {
    func publishCommand(_ registry: LocalRegistry) -> ProcessCommand {
        .argv([options.wbuild, "publish", "--json", "--registry", "\(registry.address)/\(Self.path)", "-f", "wbuild.json"])
    }

    /// The run's milliseconds and the pass's own (`ms` of its result), or `nil` (with the
    /// problem in the report) when it does not count.
    func wbuildPublish(into registry: LocalRegistry, root: String, firstPublish: Bool, what: String,
                       report: inout Report) async throws(BenchError) -> (wall: Double, pass: Double?)? {
        try? FileManager.default.removeItem(atPath: PublishedImage.imagesFile(root))
        let command = publishCommand(registry)
        let run = try await ProcessTimer.run(command, in: root, tailLines: 10_000)
        let outcome = PublishOutcome(run)
        func leftOut(_ why: String) -> (wall: Double, pass: Double?)? {
            report.problem(BenchError(.commandFailed, "\(label): `\(command)` (\(what)) \(why); figure left out",
                                      detail: run.outputText))
            return nil
        }
        guard run.status.isSuccess else { return leftOut("ended with \(run.status)") }
        if outcome.ok == false { return leftOut("printed a result that is not ok (\(outcome.summary))") }
        if let problem = await checkImages(in: registry, root: root) { return leftOut(problem) }
        if firstPublish {
            if outcome.pushed.count != Self.workloads.count {
                report.suspect("\(label): `wbuild publish --json` (\(what)) into an empty registry showed"
                               + " \(outcome.pushed.count) push node(s) that ran (\(outcome.summary)); the registry has all 3")
            }
        } else {
            if !outcome.pushed.isEmpty {
                return leftOut("pushed again with nothing changed: \(outcome.pushed.joined(separator: ", ")) ran")
            }
            if outcome.skipped.count != Self.workloads.count {
                report.suspect("\(label): `wbuild publish --json` (\(what)) showed \(outcome.skipped.count) cached push"
                               + " node(s), not 3 (\(outcome.summary))")
            }
        }
        if !outcome.built.isEmpty {
            report.suspect("\(label): `wbuild publish` (\(what)) built \(outcome.built.joined(separator: ", ")) although"
                           + " the images were built beforehand")
        }
        return (run.milliseconds, outcome.milliseconds)
    }

    /// What is wrong with images.json against the registry, or `nil` when all three match.
    private func checkImages(in registry: LocalRegistry, root: String) async -> String? {
        guard let images = PublishedImage.read(project: root) else {
            return "left no readable \(PublishedImage.imagesFile(root))"
        }
        guard images.map(\.workload).sorted() == Self.workloads else {
            return "wrote images.json for \(images.map(\.workload).sorted()), not \(Self.workloads)"
        }
        for image in images {
            guard image.host == registry.address, image.repository == "\(Self.path)/\(image.workload)" else {
                return "wrote \(image.reference) to images.json, not a ref in \(registry.address)/\(Self.path)"
            }
            guard let digest = image.digest else { return "wrote \(image.reference) to images.json without a digest" }
            let answered = await registry.manifestDigest(repository: image.repository, tag: image.tag, in: root)
            guard answered == digest else {
                return "wrote \(image.reference)@\(digest), but the registry answers "
                    + (answered.map { "digest \($0)" } ?? "no manifest") + " for that tag"
            }
        }
        return nil
    }
}
