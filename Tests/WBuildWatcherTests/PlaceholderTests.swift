import Testing

// Replaced by real tests as the module lands.
@Test func placeholder_WBuildWatcherTests() { #expect(1 + 1 == 2) }
