import Testing
@testable import WBuildDocker

/// Which registries `publish` and `deploy` ask themselves, over plain HTTP, rather than
/// through the engine: loopback, and what the engine's `/info` lists as insecure.
@Suite struct PlainRegistryProbeTests {
    @Test func repositoriesWithAnExplicitPortNameTheirRegistry() {
        #expect(RegistryParts("127.0.0.1:5000/shop/api") == RegistryParts(host: "127.0.0.1", port: 5000, path: "shop/api"))
        #expect(RegistryParts("localhost:5000/api")?.host == "127.0.0.1")
        #expect(RegistryParts("Registry.Example:443/a/b")?.hostPort == "registry.example:443")
        for malformed in ["registry.example.com/api", "127.0.0.1/api", "127.0.0.1:0/api", "127.0.0.1:5000", "[::1]:5000/a", ":5000/a"] {
            #expect(RegistryParts(malformed) == nil, "\(malformed)")
        }
    }

    @Test func onlyLoopbackAddressesAreLoopback() {
        #expect(RegistryParts("127.9.9.9:1/a")?.isLoopback == true)
        for remote in ["10.0.0.1:5000/api", "128.0.0.1:5000/a", "127.0.0:5000/a", "127.example:5000/a"] {
            #expect(RegistryParts(remote)?.isLoopback != true, "\(remote)")
        }
    }

    @Test func theEnginesInsecureRegistriesAllowPlainHTTP() throws {
        let insecure = EngineRegistrySecurity.Insecure(
            hostPorts: ["10.251.42.1:5000"],
            cidrs: [try #require(EngineRegistrySecurity.Insecure.cidr("192.168.0.0/16"))])
        #expect(insecure.allows(try #require(RegistryParts("10.251.42.1:5000/shop/api"))))
        #expect(!insecure.allows(try #require(RegistryParts("10.251.42.1:5001/shop/api"))), "another port is another registry")
        #expect(insecure.allows(try #require(RegistryParts("192.168.7.9:5000/a"))))
        #expect(!insecure.allows(try #require(RegistryParts("192.169.0.1:5000/a"))))
        #expect(!insecure.allows(try #require(RegistryParts("registry.example:5000/a"))))
    }

    @Test func cidrsMatchByTheirPrefix() {
        #expect(EngineRegistrySecurity.Insecure.address([10, 1, 2, 3], isIn: [10, 0, 0, 0], bits: 8))
        #expect(!EngineRegistrySecurity.Insecure.address([11, 1, 2, 3], isIn: [10, 0, 0, 0], bits: 8))
        #expect(EngineRegistrySecurity.Insecure.address([172, 17, 200, 1], isIn: [172, 16, 0, 0], bits: 12))
        #expect(!EngineRegistrySecurity.Insecure.address([172, 32, 0, 1], isIn: [172, 16, 0, 0], bits: 12))
        #expect(EngineRegistrySecurity.Insecure.address([1, 2, 3, 4], isIn: [0, 0, 0, 0], bits: 0))
        #expect(EngineRegistrySecurity.Insecure.cidr("::1/128") == nil)
        #expect(EngineRegistrySecurity.Insecure.cidr("10.0.0.0/33") == nil)
    }
}
