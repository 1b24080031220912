import WBuildTestSupport

/// The draws the sync property tests make of the one seeded generator.
extension SeededGenerator {
    /// True with probability `1 / n`.
    mutating func oneIn(_ n: Int) -> Bool { Int.random(in: 0..<n, using: &self) == 0 }

    /// One of `items`, nil when there are none.
    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int.random(in: 0..<items.count, using: &self)] }
}
