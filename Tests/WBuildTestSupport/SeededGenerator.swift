/// SplitMix64: a small deterministic random number generator whose whole output follows from
/// its seed, so a failing property test can be replayed from the seed it names. The one seeded
/// generator of every test target (the benchmark keeps its own copy: it cannot depend on tests).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` taken as the next 64 bits modulo `bound` (slightly biased, but
    /// cheap and stable across toolchains, which is what a replayable test wants).
    public mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
