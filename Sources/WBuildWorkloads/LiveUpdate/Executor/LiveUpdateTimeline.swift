/// How long each phase of one live update took, as the user sees it: milliseconds from the
/// moment the first change of the batch was seen to the end of each phase (phases that did not
/// happen are nil). Across replicas each phase ends when the slowest replica finished it.
/// `phases` is the form `BuildEvent.liveUpdate` carries.
public struct LiveUpdateTimeline: Sendable, Equatable {
    public var batchSettledMs: Int?
    public var filesSentMs: Int?
    public var stepsRunMs: Int?
    public var processBackMs: Int?
    public var readyMs: Int?
    /// Files copied plus paths deleted, per replica.
    public var files: Int
    public var replicas: [ReplicaOutcome]

    public init(batchSettledMs: Int? = nil, filesSentMs: Int? = nil, stepsRunMs: Int? = nil, processBackMs: Int? = nil,
                readyMs: Int? = nil, files: Int = 0, replicas: [ReplicaOutcome] = []) {
        self.batchSettledMs = batchSettledMs
        self.filesSentMs = filesSentMs
        self.stepsRunMs = stepsRunMs
        self.processBackMs = processBackMs
        self.readyMs = readyMs
        self.files = files
        self.replicas = replicas
    }

    /// `("settled", ms), ("sent", ms), ("steps", ms), ("restarted", ms), ("ready", ms)`, those that happened.
    public var phases: [(String, Int)] {
        let all: [(String, Int?)] = [("settled", batchSettledMs), ("sent", filesSentMs), ("steps", stepsRunMs),
                                     ("restarted", processBackMs), ("ready", readyMs)]
        return all.compactMap { name, ms in ms.map { (name, $0) } }
    }

    /// One line for the terminal: `3 files → 2 replicas: settled 52 ms, sent 55 ms, restarted 71 ms, ready 90 ms`.
    public var summary: String {
        let phaseText = phases.map { "\($0.0) \($0.1) ms" }.joined(separator: ", ")
        return "\(files) file\(files == 1 ? "" : "s") → \(replicas.count) replica\(replicas.count == 1 ? "" : "s"): \(phaseText)"
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
