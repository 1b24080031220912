extension WorkloadPlan {
    /// The ports the workload's front door serves: every declared port but the debugger (a
    /// debugger attaches to one process, so each replica publishes its own) and the live-update
    /// supervisor's channel (per container).
    public var doorPorts: [PlannedPort] {
        ports.filter { $0.container != debugPort && $0.name != PlannedPort.supervisorName }
    }

    /// Whether the workload gets a front door: it has ports for peers and the host to reach.
    public var hasFrontDoor: Bool { !doorPorts.isEmpty }
}
