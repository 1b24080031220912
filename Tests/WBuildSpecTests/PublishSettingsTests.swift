import Testing
@testable import WBuildSpec

/// `publish: { registry, tag, extraTags }`: what loads, and what is a diagnostic at its key.
@Suite struct PublishSettingsTests {
    @Test func theTagDefaultsToTheFingerprintAndExtraTagsToNone() throws {
        let spec = try loadSpec("{ name: 'p', publish: { registry: '127.0.0.1:5000/shop' } }")
        #expect(spec.publish == PublishSettings(registry: "127.0.0.1:5000/shop", tag: .fingerprint, extraTags: []))
    }

    @Test func aFixedTagAndExtraTagsLoadInOrderWithoutRepeats() throws {
        let spec = try loadSpec("{ name: 'p', publish: { registry: 'r:5000/x', tag: 'v1.2.0', extraTags: ['latest', 'stable', 'latest'] } }")
        #expect(spec.publish == PublishSettings(registry: "r:5000/x", tag: .fixed("v1.2.0"), extraTags: ["latest", "stable"]))
    }

    @Test(arguments: [
        ("tag: '-v1'", "publish.tag", "a tag starts with a letter, digit or `_`"),
        ("tag: 'v 1'", "publish.tag", "` ` is not allowed in a tag"),
        ("tag: ''", "publish.tag", "empty"),
        ("extraTags: ['ok', 'a/b']", "publish.extraTags[1]", "`/` is not allowed in a tag"),
        ("tag: 'v1', extraTags: ['v1']", "publish.extraTags[0]", "already the primary tag"),
        ("extraTags: ['fingerprint']", "publish.extraTags[0]", "already the primary tag"),
        ("latest: true", "publish.latest", "unknown key"),
    ])
    func badTagsAreDiagnosticsAtTheirKey(_ members: String, _ keyPath: String, _ message: String) {
        let found = diagnostics("{ name: 'p', publish: { registry: 'r:5000/x', \(members) } }")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.keyPath == keyPath)
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test(arguments: ["r:5000/Shop", "r:5000/shop/", "r:5000//shop", "r:5000/-shop", "r:5000/sh op"])
    func aRepositoryPathDockerRefusesIsADiagnostic(_ registry: String) {
        let found = diagnostics("{ name: 'p', publish: { registry: '\(registry)' } }")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.keyPath == "publish.registry")
        #expect(PublishSettings.registryProblem(registry) != nil)
    }

    @Test func theCommandLineRegistryGetsTheSameCheck() {
        #expect(PublishSettings.registryProblem("http://r:5000/x") == "leave out the scheme")
        #expect(PublishSettings.registryProblem("r:99999/x")?.contains("1–65535") == true)
        #expect(PublishSettings.registryProblem("127.0.0.1:5000/team/shop_2.x-y") == nil)
    }
}
