import Testing

// Replaced by real tests as the module lands.
@Test func placeholder_WBuildFilesTests() { #expect(1 + 1 == 2) }
