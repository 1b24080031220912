import WBuildCore
import WBuildDocker
import WBuildSystem

/// The front door: one `wbuild-door` container per workload with ports (`DoorBlueprint`). It
/// holds the workload's name on the project network and its published host ports, and
/// forwards each TCP connection to a ready replica. Replicas come and go behind it, so:
/// - a workload's URL stays the same across replacements (also with a fixed host port, which
///   the door holds while two generations of replicas run side by side);
/// - a swap never cuts a request: new connections go to the new replicas the moment they are
///   ready (`SET`), connections open to the old ones are left to finish (`CONNS`, up to
///   `doorDrainLimit`) before the old replicas are stopped;
/// - while no replica is ready (a container restart), the door holds new connections for a
///   few seconds instead of refusing them.
///
/// Invariant: the door's backend set is the project-network addresses of the workload's
/// replicas this runtime has marked ready. Every change of that set calls `syncDoor` (ready,
/// crash, deliberate restart, retirement); syncs of one workload run one at a time and each
/// sends the set as it is when it runs, so the last one sent is the current one.
extension WorkloadRuntime {
    /// How long a swap waits for connections to old replicas to end before stopping them; the
    /// stop's own grace period then lets their process finish what is in flight.
    static let doorDrainLimit: Duration = .seconds(2)

    /// Runs `plan`'s front door (adopting a running one that is still right, replacing one that
    /// is not) and records it; removes a door the plan no longer needs.
    func ensureDoor(_ plan: WorkloadPlan, existing: [ContainerSummary]) async throws(NodeFailure) {
        let doors = existing.filter { ContainerLabels.isDoor($0.labels) }
        guard plan.hasFrontDoor else {
            book.withLock { _ = $0.doors.removeValue(forKey: plan.workload) }
            await remove(doors.map(\.id), grace: 0)
            return
        }
        let blueprint = DoorBlueprint(plan: plan, image: try await doorImage(for: plan.workload))
        let fingerprint = blueprint.fingerprint.hex
        if let current = doors.first(where: { $0.labels[ContainerLabels.fingerprint] == fingerprint && $0.state == "running" }) {
            await remove(doors.filter { $0.id != current.id }.map(\.id), grace: 0)
            if await recordDoor(current.id, workload: plan.workload) { return }
        }
        // Forget the door being replaced first, so no sync in the meantime talks to a removed one.
        book.withLock { _ = $0.doors.removeValue(forKey: plan.workload) }
        await remove(doors.map(\.id), grace: 0)
        let id = try await createDoor(blueprint)
        do {
            // Its control secret, before it starts (it reads it once, at start).
            try await client.putArchive(id, path: "/", tar: try TarWriter.archive(ControlSecrets.fresh(for: id).entries))
            try await client.startContainer(id)
        } catch {
            await remove([id], grace: 0)
            throw engineFailure("starting the front door of \(plan.workload)", error)
        }
        guard await recordDoor(id, workload: plan.workload) else {
            throw NodeFailure("workload `\(plan.workload)`: its front door \(blueprint.name) stopped right after it started",
                              tail: await lastLogLines(id), hint: "see `docker logs \(blueprint.name)`")
        }
        try await awaitDoorAnswering(plan.workload)
    }

    /// Sends the door of `workload` the addresses of its ready replicas (see the invariant above),
    /// and the project's router too when it routes to `workload`.
    func syncDoor(_ workload: String) async {
        let key = Self.doorGateKey(workload)
        await gate.enter(key)
        defer { gate.leave(key) }
        await syncRouter(workload)
        let (door, addresses) = book.withLock { book in
            (book.doors[workload],
             Set(book.tracked.values.filter { $0.workload == workload && $0.sidecar == nil && $0.phase == .ready }
                .compactMap(\.address)).sorted())
        }
        guard let door else { return }
        do {
            _ = try await doorCommand(door, (["SET"] + addresses).joined(separator: " "))
        } catch {
            events.emit(.warning("workload:\(workload): cannot update its front door \(door.control): \(error)"))
        }
    }

    /// A door that starts again (the engine restarted it: it is `unless-stopped`) knows no
    /// backends and may have a new address: read it again and tell it the ready replicas.
    func doorRestarted(_ id: String, workload: String) async {
        guard await recordDoor(id, workload: workload) else { return }
        do {
            try await awaitDoorAnswering(workload)
        } catch {
            events.emit(.warning("workload:\(workload): \(error.message)"))
            return
        }
        await syncDoor(workload)
    }

    /// `syncDoor` in the background, for callers that cannot wait (probe verdicts, crashes).
    func requestDoorSync(_ workload: String) {
        guard book.withLock({ $0.doors[workload] != nil || $0.router?.plan.targets[workload] != nil }) else { return }
        Task { [weak self] in await self?.syncDoor(workload) }
    }

    /// Waits until the door (and the router) has no connection open to any of `addresses`, at
    /// most `doorDrainLimit` each.
    func drainDoor(_ workload: String, addresses: [String]) async {
        await drainRouter(addresses: addresses)
        guard let door = book.withLock({ $0.doors[workload] }), !addresses.isEmpty else { return }
        let deadline = ContinuousClock.now + Self.doorDrainLimit
        while ContinuousClock.now < deadline {
            var open = 0
            for address in addresses {
                // A door that does not answer has nothing to drain.
                open += (try? await doorCommand(door, "CONNS \(address)")).flatMap { Int($0) } ?? 0
            }
            if open == 0 { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The published ports of `workload`'s door, when it has one.
    func frontDoorPorts(_ workload: String) -> [PublishedPort]? {
        book.withLock { $0.doors[workload]?.ports }
    }

    static func doorGateKey(_ workload: String) -> String { "\u{0}door \(workload)" }

    /// The door image, ensured once per runtime (one build at a time).
    private func doorImage(for workload: String) async throws(NodeFailure) -> String {
        if let known = book.withLock({ $0.doorImage }) { return known }
        let key = "\u{0}door image"
        await gate.enter(key)
        defer { gate.leave(key) }
        if let known = book.withLock({ $0.doorImage }) { return known }
        let image = try await DoorImage.ensure(client: client, workload: workload)
        book.withLock { $0.doorImage = image }
        return image
    }

    private func createDoor(_ blueprint: DoorBlueprint) async throws(NodeFailure) -> String {
        let config = blueprint.config()
        do {
            do {
                return try await client.createContainer(name: blueprint.name, config: config)
            } catch let error as DockerError where error.status == 409 {
                // The name is held by a door this listing did not show (another wbuild made it meanwhile).
                try? await client.removeContainer(blueprint.name, force: true)
                return try await client.createContainer(name: blueprint.name, config: config)
            }
        } catch {
            throw engineFailure("creating the front door \(blueprint.name)", error)
        }
    }

    /// Reads the door's control port, secret and published ports; false when it is not running
    /// or has no secret wbuild wrote (a door of an older wbuild: it is then replaced).
    private func recordDoor(_ id: String, workload: String) async -> Bool {
        guard let info = try? await client.inspectContainer(id), info.state.running, let address = networkAddress(info),
              let secret = await ControlSecrets.secret(of: id, alsoKnownAs: info.id, client: client)
        else { return false }
        let door = RuntimeBook.Door(containerID: id,
                                    control: ControlEndpoint(host: address, port: DoorBinary.defaultControlPort, secret: secret),
                                    ports: publishedPorts(info, plan: nil))
        book.withLock { $0.doors[workload] = door }
        return true
    }

    /// Waits for a new door's control port to answer (it starts in milliseconds).
    private func awaitDoorAnswering(_ workload: String) async throws(NodeFailure) {
        guard let door = book.withLock({ $0.doors[workload] }) else { return }
        let deadline = ContinuousClock.now + .seconds(10)
        var lastError = "no answer"
        while ContinuousClock.now < deadline {
            do {
                _ = try await doorCommand(door, "HELLO")
                return
            } catch {
                lastError = "\(error)"
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw NodeFailure("workload `\(workload)`: its front door does not answer on \(door.control): \(lastError)",
                          tail: await lastLogLines(door.containerID),
                          hint: "see `docker logs \(ContainerLabels.doorName(project: project, workload: workload))`")
    }

    /// Sends one control line to the door on a fresh authenticated channel and returns the text
    /// after its `OK`.
    private func doorCommand(_ door: RuntimeBook.Door, _ line: String) async throws -> String {
        let endpoint = door.control
        return try await BlockingWork.run(name: "wbuild-door-control") { () throws -> String in
            try ControlChannel.command(line, to: endpoint, program: DoorBinary.program, timeoutMs: 1000, replyTimeoutSeconds: 5)
        }
    }
}
