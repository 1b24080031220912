extension WorkloadRuntime {
    /// Remembers `secrets` (from a plan about to run) so the logs this runtime forwards mask them;
    /// earlier values stay masked too, since a replaced container may still print an old one.
    func remember(_ secrets: [ResolvedSecret]) {
        remember(values: secrets.map(\.value))
    }

    func remember(values: [SecretValue]) {
        guard !values.isEmpty else { return }
        secretValues.withLock { $0.formUnion(values) }
    }

    /// The mask of every secret remembered so far.
    var secretMask: SecretMask { SecretMask(values: Array(secretValues.withLock { $0 })) }
}
