/// When each phase of one replica's update ended, and what happened.
struct ReplicaRun: Sendable {
    var outcome: ReplicaOutcome
    var filesSent: ContinuousClock.Instant?
    var stepsRun: ContinuousClock.Instant?
    var processBack: ContinuousClock.Instant?
    var ready: ContinuousClock.Instant?
}
