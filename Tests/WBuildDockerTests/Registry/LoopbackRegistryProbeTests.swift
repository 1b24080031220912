import Testing
@testable import WBuildDocker

/// Which registries `publish` asks itself rather than through the engine.
@Suite struct LoopbackRegistryProbeTests {
    @Test func onlyLoopbackRegistriesWithAPortAreAskedDirectly() {
        #expect(LoopbackRegistryProbe.loopbackParts("127.0.0.1:5000/shop/api")! == ("127.0.0.1", 5000, "shop/api"))
        #expect(LoopbackRegistryProbe.loopbackParts("localhost:5000/api")! == ("127.0.0.1", 5000, "api"))
        #expect(LoopbackRegistryProbe.loopbackParts("127.9.9.9:1/a")! == ("127.9.9.9", 1, "a"))
        for remote in ["10.0.0.1:5000/api", "registry.example.com/api", "127.0.0.1/api", "127.0.0.1:0/api", "127.0.0.1:5000",
                       "128.0.0.1:5000/a", "127.0.0:5000/a", "[::1]:5000/a"] {
            #expect(LoopbackRegistryProbe.loopbackParts(remote) == nil, "\(remote)")
        }
    }
}
