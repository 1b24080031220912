/// Whether the containers a workload has in the engine are its current output — what lets
/// `up` call it cached instead of converging again.
///
/// Every replica runs with the fingerprint and none fails its readiness probe (read once when
/// another process started it), and — when the workload has a front door — the door
/// runs and publishes every door port (a fixed `host:` port on that very port). So an `up` that
/// failed half-way (say the door could not bind a busy host port, while the replicas started)
/// leaves nothing the next `up` trusts: that one converges, adopts the replicas and makes the door.
/// Likewise replicas an `up` gave up waiting for: the next `up` waits for them again, and says why.
enum WorkloadTrust {
    static func trusts(_ state: WorkloadState?, fingerprint: String, replicas: Int, plan: WorkloadPlan?) -> Bool {
        guard let state, state.fingerprint == fingerprint, state.replicas.count == replicas,
              state.replicas.allSatisfy({ $0.engineState == "running" && $0.phase != .unhealthy }) else { return false }
        guard let plan, plan.hasFrontDoor else { return true }
        return plan.doorPorts.allSatisfy { port in
            state.frontDoor.contains { published in
                published.container == port.container && published.hostPort > 0 && (port.host == 0 || published.hostPort == port.host)
            }
        }
    }
}
