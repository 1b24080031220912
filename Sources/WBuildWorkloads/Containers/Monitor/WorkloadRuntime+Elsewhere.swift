import WBuildCore
import WBuildDocker

/// Replicas another wbuild replaces while this runtime runs the workload (`wbuild restart` or
/// `up --force` in a second terminal while `watch` runs): the new replica is adopted when it
/// starts and given to the front door once its probe passes; the old one's end is a retirement,
/// not a crash, so it is neither restarted nor reported crash-looping.
extension WorkloadRuntime {
    /// Tracks replica `id`, started by another process, when it runs the generation this runtime
    /// runs for its workload; marks it ready once its readiness probe passes.
    func adoptStartedElsewhere(_ id: String) async {
        guard let info = try? await client.inspectContainer(id), ContainerLabels.isReplica(info.labels),
              let workload = info.labels[ContainerLabels.workload], let plan = book.withLock({ $0.plans[workload] }) else { return }
        let siblings = book.withLock { book in
            book.tracked.filter { $0.value.workload == workload && $0.value.sidecar == nil }.map(\.key)
        }
        guard let sibling = siblings.first, let siblingInfo = try? await client.inspectContainer(sibling),
              siblingInfo.labels[ContainerLabels.fingerprint] == info.labels[ContainerLabels.fingerprint] else { return }
        let replica = Int(info.labels[ContainerLabels.replica] ?? "") ?? 0
        let ports = publishedPorts(info, plan: plan)
        let address = networkAddress(info)
        let adopted = book.withLock { book -> Bool in
            guard book.tracked[id] == nil, !book.retired.contains(id), !book.shuttingDown else { return false }
            book.tracked[id] = RuntimeBook.Tracked(workload: workload, replica: replica, phase: .starting, ports: ports, address: address)
            return true
        }
        guard adopted else { return }
        let task = Task { [weak self, client] in
            guard let readiness = plan.readiness else {
                self?.markReady(id, plan: plan)
                return
            }
            let probes = ProbeRunner(client: client)
            while !Task.isCancelled {
                guard let self, self.book.withLock({ $0.tracked[id]?.phase }) == .starting else { return }
                if case .success = await probes.check(readiness, containerID: id, ports: ports) {
                    self.markReady(id, plan: plan)
                    return
                }
                try? await Task.sleep(for: .milliseconds(max(50, readiness.intervalMs)))
            }
        }
        attach(task, to: id)
        startLiveness(id, replica: replica, plan: plan)
    }

    /// Whether `id`, which just died, was replaced by another process: another tracked replica
    /// of the same workload and index runs (for a sidecar: beside another main container of its
    /// replica). Then it is retired instead of restarted.
    func retireIfReplacedElsewhere(_ id: String) -> Bool {
        let (replaced, workload, tasks) = book.withLock { book -> (Bool, String?, [Task<Void, Never>]) in
            guard let dead = book.tracked[id] else { return (false, nil, []) }
            let main = dead.sidecar == nil ? id : (dead.mainID ?? id)
            let successor = book.tracked.contains { other in
                other.key != main && other.value.sidecar == nil && other.value.workload == dead.workload
                    && other.value.replica == dead.replica
            }
            guard successor else { return (false, nil, []) }
            return (true, dead.sidecar == nil ? dead.workload : nil, book.retire(id))
        }
        tasks.forEach { $0.cancel() }
        if let workload { requestDoorSync(workload) }
        return replaced
    }
}
