import Testing

// Replaced by real tests as the module lands.
@Test func placeholder_WBuildDockerTests() { #expect(1 + 1 == 2) }
