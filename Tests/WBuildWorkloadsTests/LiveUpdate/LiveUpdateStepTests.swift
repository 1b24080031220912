import Foundation
import Testing
import WBuildDocker
import WBuildSpec
import WBuildTestSupport
@testable import WBuildWorkloads

@Suite("Live update run steps")
struct LiveUpdateStepTests {
    let steps = [
        RunStep(command: .shell("echo always >> /srv/app/steps.log")),
        RunStep(command: .argv(["sh", "-c", "echo deps >> /srv/app/steps.log"]), trigger: ["app/deps.txt"]),
    ]

    @Test("untriggered steps run on every sync, triggered ones only when their file changed, in order")
    func runsStepsByTrigger() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let rules = project.rules(run: steps)
        try project.directory.write("app/main.js", "1")
        try project.directory.write("app/deps.txt", "left-pad")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let executor = LiveUpdateExecutor(client: client)
            let replica = [LiveUpdateReplica(containerID: id, supervised: true)]
            let plain = try await executor.apply(try project.plan([ChangedFile(path: "app/main.js", exists: true)], rules: rules),
                                                 to: replica)
            #expect(plain.stepsRunMs != nil)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/steps.log", in: id, client: client) == "always\n")
            _ = try await executor.apply(try project.plan([ChangedFile(path: "app/deps.txt", exists: true)], rules: rules),
                                         to: replica)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/steps.log", in: id, client: client) == "always\nalways\ndeps\n")
        }
    }

    @Test("a failing step reports its output and exit code")
    func reportsAFailingStep() async throws {
        let client = try DockerClient()
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        let rules = project.rules(run: [RunStep(command: .shell("echo compiling; echo 'syntax error' >&2; exit 3")),
                                        RunStep(command: .shell("touch /srv/app/after"))])
        try project.directory.write("app/main.js", "broken")
        try await LiveUpdateTestEngine.withContainer(client, image: LiveUpdateTestEngine.shellImage,
                                                     command: ["sleep", "3600"], supervised: true) { id in
            let plan = try project.plan([ChangedFile(path: "app/main.js", exists: true)], rules: rules)
            await #expect {
                _ = try await LiveUpdateExecutor(client: client).apply(plan, to: [LiveUpdateReplica(containerID: id, supervised: true)])
            } throws: { error in
                guard let error = error as? LiveUpdateError else { return false }
                return error.code == .stepFailed && error.exitCode == 3
                    && (error.output ?? "").contains("compiling") && (error.output ?? "").contains("syntax error")
                    && error.description.contains("echo compiling")
            }
            #expect(try await LiveUpdateTestEngine.exists("/srv/app/after", in: id, client: client) == false)
            #expect(try await LiveUpdateTestEngine.read("/srv/app/main.js", in: id, client: client) == "broken")
        }
    }

    @Test("a string step in an image without a shell says so")
    func explainsAMissingShell() async throws {
        let client = try DockerClient()
        let image = try await LiveUpdateTestEngine.scratchImage(client)
        let project = try LiveUpdateProject()
        defer { project.directory.remove() }
        try project.directory.write("app/main.js", "x")
        let rules = project.rules(run: [RunStep(command: .shell("echo hi"))])
        try await LiveUpdateTestEngine.withContainer(client, image: image, command: ["/busybox", "sleep", "3600"],
                                                     supervised: true) { id in
            let plan = try project.plan([ChangedFile(path: "app/main.js", exists: true)], rules: rules)
            await #expect {
                _ = try await LiveUpdateExecutor(client: client).apply(plan, to: [LiveUpdateReplica(containerID: id, supervised: true)])
            } throws: { error in
                guard let error = error as? LiveUpdateError else { return false }
                return error.code == .noShell && error.message.contains("/bin/sh")
            }
        }
    }
}
