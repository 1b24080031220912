import Testing
@testable import WBuildSpec

/// `publish.registry` is checked when the file is read: `localhost:99999/x` made `wbuild doctor`
/// trap converting the port; now it is a diagnostic at the key.
@Suite struct RegistryAddressTests {
    @Test(arguments: ["localhost:99999/x", "localhost:0/x", "localhost:65536", "localhost:/x", "localhost:-1/x",
                      "localhost:5e3/x", "localhost:99999999999999999999999/x", "host:port", ":5000/x", "/x",
                      "::1:5000/x", "[::1/x", "[::1]5000/x", "[]:5000/x"])
    func aBadHostOrPortIsADiagnosticAtTheKey(_ registry: String) {
        let found = diagnostics("{ name: 'p',\n  publish: { registry: '\(registry)' } }")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.keyPath == "publish.registry")
        #expect(found.first?.line == 2 && found.first?.column == 24)
        #expect(found.first?.message.hasPrefix("expected a registry as host[:port][/path]") == true)
    }

    @Test func thePortMessageSaysWhatIsAllowed() {
        let found = diagnostics("{ name: 'p', publish: { registry: 'localhost:99999/x' } }")
        #expect(found.first?.message.contains("the port must be a whole number 1–65535, got `99999`") == true, "\(found)")
    }

    @Test(arguments: ["localhost:5000/shop", "registry.example.com/team/app", "10.0.0.1:443", "[::1]:5000/x",
                      "[::1]/x", "localhost", "ghcr.io"])
    func usableRegistriesLoad(_ registry: String) throws {
        let spec = try loadSpec("{ name: 'p', publish: { registry: '\(registry)' } }")
        #expect(spec.publish?.registry == registry)
    }
}
