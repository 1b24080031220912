import Testing
import WBuildCore
import WBuildDocker
import WBuildFiles
@testable import WBuildWorkloads

/// How the Dockerfile and labels travel beside a context, so the image's files stay docker's.
@Suite struct BuildContextPlanTests {
    let labels = ["dev.wbuild.project": "p", "dev.wbuild.fingerprint": "f"]
    let dockerfile = Array("FROM base\nCOPY . /ctx/".utf8)

    func snapshot(_ paths: [String]) -> TreeSnapshot {
        TreeSnapshot(entries: paths.map { path in
            FileEntry(relativePath: path, kind: path.hasSuffix("/") ? .directory : .file, mode: 0o640, size: 0,
                      digest: FileDigest.of([]))
        })
    }

    func plan(inContext: String? = "Dockerfile", target: String? = nil, ignore: String?, _ paths: [String]) -> BuildContextPlan {
        BuildContextPlan.make(dockerfile: dockerfile, dockerfileInContext: inContext, target: target, labels: labels,
                              dockerignore: ignore.map { Array($0.utf8) }, snapshot: snapshot(paths), suffix: "abc")
    }

    func contents(_ entry: TarEntry) -> String? {
        guard case .file(.bytes(let bytes)) = entry.kind else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func withoutADockerignoreTheLabelsRideInAnInjectedDockerfileAndBothAreDeleted() {
        let plan = plan(ignore: nil, ["Dockerfile"])
        #expect(plan.dockerfilePath == ".dockerfile.abc")
        #expect(plan.queryLabels.isEmpty)
        #expect(plan.injected.map(\.path) == [".dockerfile.abc", ".dockerignore"])
        #expect(contents(plan.injected[0]) == "FROM base\nCOPY . /ctx/\nLABEL dev.wbuild.fingerprint=\"f\" dev.wbuild.project=\"p\"\n")
        #expect(contents(plan.injected[1]) == ".dockerignore\n.dockerfile.abc\n")
    }

    @Test func aDockerignoreTheImageKeepsIsSentAsItIsWithTheLabelsAsQueryParameters() {
        let plan = plan(ignore: "*.log\n", [".dockerignore", "Dockerfile", "app.txt"])
        #expect(plan.dockerfilePath == "Dockerfile")
        #expect(plan.queryLabels == labels)
        #expect(plan.injected.isEmpty && plan.replaced.isEmpty && plan.sentFromDisk.isEmpty)
    }

    @Test func withATargetBothBuildFilesAreSentEvenWhenIgnoredAsTheCLIDoes() {
        let plan = plan(target: "base", ignore: ".dockerignore\nDockerfile\n", ["app.txt"])
        #expect(plan.dockerfilePath == "Dockerfile")
        #expect(plan.queryLabels == labels)
        #expect(plan.sentFromDisk == [".dockerignore", "Dockerfile"])
    }

    @Test func anIgnoredDockerfileLeavesItsIgnoredDirectoriesAsDockerDoes() {
        let plan = plan(inContext: "build/docker/Dockerfile", ignore: ".dockerignore\nbuild\n", ["app.txt"])
        #expect(plan.injected.map(\.path) == [".dockerfile.abc", ".dockerignore", "build", "build/docker"])
        #expect(plan.injected[2].header.mode == 0o755)
    }

    @Test func outsideTheContextTheCLIsRewriteKeepsTheDockerignore() {
        let plan = plan(inContext: nil, ignore: "*.log", [".dockerignore", "app.txt"])
        #expect(plan.dockerfilePath == ".dockerfile.abc")
        #expect(contents(plan.injected[1]) == "*.log\n.dockerfile.abc\n")
        #expect(plan.injected[1].header.mode == 0o640)
    }

    @Test func aNameTheDockerignoreAlreadyIgnoresCarriesTheLabelsWithoutTouchingIt() throws {
        let rules = try IgnoreRules.parse("node_modules\n*.log\n!keep.log\n")
        let plan = BuildContextPlan.make(dockerfile: dockerfile, dockerfileInContext: "Dockerfile", target: nil, labels: labels,
                                         dockerignore: Array("node_modules\n*.log\n!keep.log\n".utf8), ignoreRules: rules,
                                         snapshot: snapshot([".dockerignore", "Dockerfile"]), suffix: "abc",
                                         exists: { $0 == "node_modules" })
        #expect(plan.dockerfilePath == ".dockerfile.abc.log")
        #expect(plan.injected.map(\.path) == [".dockerfile.abc.log"])
        #expect(plan.replaced.isEmpty && plan.queryLabels.isEmpty)
    }

    @Test func hiddenNamesComeOnlyFromSingleNamePatternsThatStillIgnoreThem() throws {
        func hidden(_ text: String, taken: Set<String> = []) throws -> String? {
            BuildContextPlan.hiddenName(try IgnoreRules.parse(text), suffix: "s", taken: { taken.contains($0) })
        }
        #expect(try hidden(".env\n") == ".env")
        #expect(try hidden(".env\n", taken: [".env"]) == nil)
        #expect(try hidden("**/*.tmp\n") == ".dockerfile.s.tmp")
        #expect(try hidden("build/out\n[ab].txt\n") == nil)
        #expect(try hidden("*.log\n!*.log\n") == nil)
        #expect(try hidden("?.cfg\n") == "x.cfg")
    }
}
