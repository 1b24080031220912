import WBuildCore
import WBuildDocker
import WBuildSystem

/// The project's router: one `wbuild-router` container (`RouterBlueprint`) on the project
/// network, published on one host port (`RouterPort`), that routes every HTTP request by host
/// and path to a ready replica of a workload (`RouterPlan`).
///
/// Invariant, as for the doors: for every routed workload the router's backend set is the
/// project-network addresses of the replicas this runtime has marked ready (or, for a workload
/// this runtime does not track, the replicas that run). Every change of the door's set also sends
/// the router's (`syncDoor` calls `syncRouter` under the same gate), and a swap drains the
/// router's requests to the old replicas as it drains the door's connections. The table is sent
/// over the control channel and swapped atomically (`BEGIN` … `COMMIT`): editing routes never
/// replaces the container, so open connections stay open.
extension WorkloadRuntime {
    /// Runs the router `plan` asks for (adopting a running one that is still right), sends it
    /// the table when it holds another, and every routed workload's backends; whether it made a
    /// new container.
    @discardableResult
    public func ensureRouter(_ plan: RouterPlan) async throws(NodeFailure) -> Bool {
        try await ensureNetwork()
        let binary: [UInt8]
        do {
            binary = try await RouterBinary.contents()
        } catch {
            throw NodeFailure(error.description, hint: error.hint)
        }
        let blueprint = RouterBlueprint(plan: plan, image: try await HelperImage.router.ensure(binary: binary, client: client))
        let existing: [ContainerSummary]
        do {
            existing = try await client.listContainers(labels: [projectLabel, "\(ContainerLabels.router)=1"])
        } catch {
            throw engineFailure("listing the router of project \(project)", error)
        }
        let fingerprint = blueprint.fingerprint.hex
        var adopted = false
        if let current = existing.first(where: { $0.labels[ContainerLabels.fingerprint] == fingerprint && $0.state == "running" }) {
            await remove(existing.filter { $0.id != current.id }.map(\.id), grace: 0)
            adopted = await recordRouter(current.id, plan: plan)
        }
        if !adopted {
            book.withLock { $0.router = nil }
            await remove(existing.map(\.id), grace: 0)
            let id = try await createRouter(blueprint)
            guard await recordRouter(id, plan: plan) else {
                throw NodeFailure("the router \(blueprint.name) stopped right after it started", tail: await lastLogLines(id),
                                  hint: "see `docker logs \(blueprint.name)`")
            }
        }
        try await awaitRouterAnswering()
        try await pushRouterTable(plan)
        await syncRouterBackends(plan)
        startRouterEvents()
        announceRouter(plan)
        return !adopted
    }

    /// Whether the router runs as `plan` asks and holds its table (the node's output check); if
    /// so it is adopted: recorded, sent every routed workload's backends, and followed.
    public func adoptRouter(_ plan: RouterPlan) async -> Bool {
        guard let binary = try? await RouterBinary.contents(),
              let existing = try? await client.listContainers(labels: [projectLabel, "\(ContainerLabels.router)=1"])
        else { return false }
        let fingerprint = RouterBlueprint(plan: plan, image: HelperImage.router.tag(for: binary)).fingerprint.hex
        guard let current = existing.first(where: { $0.state == "running" && $0.labels[ContainerLabels.fingerprint] == fingerprint }),
              let router = await routerRecord(current.id, plan: plan),
              let table = try? await routerCommand(router, "TABLE"),
              table.split(separator: " ").first.map(String.init) == plan.tableFingerprint.hex
        else { return false }
        book.withLock { $0.router = router }
        await syncRouterBackends(plan)
        startRouterEvents()
        announceRouter(plan)
        return true
    }

    /// Sends the router the backends of every workload `plan` routes to.
    private func syncRouterBackends(_ plan: RouterPlan) async {
        for workload in plan.targets.keys.sorted() {
            let key = Self.doorGateKey(workload)
            await gate.enter(key)
            await syncRouter(workload)
            gate.leave(key)
        }
    }

    /// Removes the project's router (the spec has no routes any more).
    public func removeRouter() async {
        book.withLock { $0.router = nil }
        stopRouterEvents()
        guard let existing = try? await client.listContainers(labels: [projectLabel, "\(ContainerLabels.router)=1"]) else { return }
        await remove(existing.map(\.id), grace: 0)
    }

    /// The URL of the project's running router when it answers there (for `status`, from any
    /// process); nil when the project has none or it does not answer.
    public func routerURL() async -> String? {
        guard let existing = try? await client.listContainers(labels: [projectLabel, "\(ContainerLabels.router)=1"]),
              let current = existing.first(where: { $0.state == "running" }),
              let address = current.labels[ContainerLabels.routerAddress], let colon = address.lastIndex(of: ":"),
              let port = Int(address[address.index(after: colon)...]) else { return nil }
        let host = ProbeRunner.dialable(String(address[..<colon]))
        guard case .success = await LoopbackHTTP.connects(host: host, port: port, timeout: Self.reachabilityTimeout) else { return nil }
        return "http://\(host):\(port)"
    }

    /// Says once per URL that the app is served there (a `ready` event of `router:<project>`).
    private func announceRouter(_ plan: RouterPlan) {
        let fresh = book.withLock { book -> Bool in
            defer { book.routerAnnounced = plan.url }
            return book.routerAnnounced != plan.url
        }
        guard fresh else { return }
        let routed = plan.targets.keys.sorted().joined(separator: ", ")
        events.emit(.workloadState(NodeID(kind: "router", name: project), state: "ready", detail: "\(plan.url)  (routes to \(routed))"))
    }

    /// Sends the router the backends of `workload` (call it holding the workload's door gate).
    func syncRouter(_ workload: String) async {
        guard let router = book.withLock({ $0.router }), let target = router.plan.targets[workload] else { return }
        let (state, backends) = await routerBackends(workload)
        let line = (["SET", workload, String(target.port), target.wire, state] + backends.map { "\($0.replica)=\($0.address)" })
            .joined(separator: " ")
        do {
            _ = try await routerCommand(router, line)
        } catch {
            events.emit(.warning("router: cannot update the backends of \(workload) on \(router.control): \(error)"))
        }
    }

    /// Waits until the router has no request in flight to any of `addresses`, at most `doorDrainLimit`.
    func drainRouter(addresses: [String]) async {
        guard let router = book.withLock({ $0.router }), !addresses.isEmpty else { return }
        let deadline = ContinuousClock.now + Self.doorDrainLimit
        while ContinuousClock.now < deadline {
            var open = 0
            for address in addresses {
                open += (try? await routerCommand(router, "CONNS \(address)")).flatMap { Int($0) } ?? 0
            }
            if open == 0 { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The router started again (the engine restarted it): it knows no table and no backends.
    func routerRestarted(_ id: String) async {
        guard let plan = book.withLock({ $0.router?.plan }), await recordRouter(id, plan: plan) else { return }
        do {
            try await awaitRouterAnswering()
            try await pushRouterTable(plan)
        } catch {
            events.emit(.warning("router: \(error.message)"))
            return
        }
        await syncRouterBackends(plan)
        startRouterEvents()
        announceRouter(plan)
    }

    /// Whether `id` is the router this runtime runs.
    func isRouter(_ id: String) -> Bool {
        book.withLock { $0.router?.containerID == id }
    }

    /// The state word and ready replicas the router gets for `workload`: from what this runtime
    /// tracks, or (a workload another wbuild started and this one only adopted as cached) the
    /// replicas the engine runs.
    private func routerBackends(_ workload: String) async -> (state: String, backends: [(replica: Int, address: String)]) {
        let (tracked, runsHere) = book.withLock { book in
            (book.tracked.values.filter { $0.workload == workload && $0.sidecar == nil }, book.plans[workload] != nil)
        }
        if runsHere || !tracked.isEmpty {
            let ready = tracked.filter { $0.phase == .ready }
            let backends = ready.compactMap { entry in entry.address.map { (replica: entry.replica, address: $0) } }
            var seen = Set<String>()
            let unique = backends.sorted { ($0.replica, $0.address) < ($1.replica, $1.address) }.filter { seen.insert($0.address).inserted }
            let state = unique.isEmpty ? (tracked.map(\.phase).min() ?? .starting).rawValue : WorkloadPhase.ready.rawValue
            return (state, unique)
        }
        guard let containers = try? await containers(of: workload) else { return ("unknown", []) }
        var backends: [(replica: Int, address: String)] = []
        for main in containers where ContainerLabels.isReplica(main.labels) && main.state == "running" {
            guard let info = try? await client.inspectContainer(main.id), let address = networkAddress(info) else { continue }
            backends.append((Int(main.labels[ContainerLabels.replica] ?? "") ?? 0, address))
        }
        return (backends.isEmpty ? WorkloadPhase.stopped.rawValue : WorkloadPhase.ready.rawValue, backends.sorted { $0.replica < $1.replica })
    }

    private func pushRouterTable(_ plan: RouterPlan) async throws(NodeFailure) {
        guard let router = book.withLock({ $0.router }) else { return }
        let fingerprint = plan.tableFingerprint.hex
        if let held = try? await routerCommand(router, "TABLE"), held.split(separator: " ").first.map(String.init) == fingerprint {
            return
        }
        let lines = ["BEGIN \(fingerprint)"] + plan.controlRouteLines + ["COMMIT"]
        let endpoint = router.control
        do {
            try await BlockingWork.run(name: "wbuild-router-table") { () throws -> Void in
                var channel = try ControlChannel(connectingTo: endpoint, program: RouterBinary.program, replyTimeoutSeconds: 5)
                var failure: ControlReplyError?
                for line in lines where failure == nil {
                    do throws(ControlReplyError) {
                        try channel.send(Array((line + "\n").utf8))
                        _ = try channel.readReply()
                    } catch {
                        failure = error
                    }
                }
                channel.close()
                if let failure { throw failure }
            }
        } catch {
            throw NodeFailure("sending the route table to the router on \(endpoint): \(error)",
                              hint: "see `docker logs \(ContainerLabels.routerName(project: project))`")
        }
    }

    private func createRouter(_ blueprint: RouterBlueprint) async throws(NodeFailure) -> String {
        let address = "\(blueprint.plan.host):\(blueprint.plan.port)"
        let host = blueprint.plan.host
        // In the host's namespace the router binds the port itself: say who holds it before it fails.
        let (free, control) = await BlockingWork.run(name: "wbuild-router-ports") { () -> (Bool, Int?) in
            (RouterPort.isFree(blueprint.plan.port, host: host), RouterPort.anyFreePort(host: host))
        }
        guard free else { throw Self.routerPortInUse(address) }
        guard let control else { throw NodeFailure("no free port on \(host) for the router's control channel") }
        var blueprint = blueprint
        blueprint.controlPort = control
        let config = blueprint.config()
        let id: String
        do {
            do {
                id = try await client.createContainer(name: blueprint.name, config: config)
            } catch let error as DockerError where error.status == 409 {
                try? await client.removeContainer(blueprint.name, force: true)
                id = try await client.createContainer(name: blueprint.name, config: config)
            }
        } catch {
            throw engineFailure("creating the router \(blueprint.name)", error)
        }
        do {
            try await client.putArchive(id, path: "/", tar: try TarWriter.archive(ControlSecrets.fresh(for: id).entries))
            try await client.startContainer(id)
        } catch {
            await remove([id], grace: 0)
            throw engineFailure("starting the router on \(address)", error)
        }
        return id
    }

    static func routerPortInUse(_ address: String) -> NodeFailure {
        NodeFailure("the router cannot listen on \(address): another program uses that port",
                    hint: "free it, or choose another with `router: { port: N }` in wbuild.json; a port wbuild "
                        + "chose itself is kept in .wbuild/router-port: delete that file to choose again")
    }

    /// Reads the router's control address and secret and records it; false when it is not
    /// running or has no secret wbuild wrote.
    private func recordRouter(_ id: String, plan: RouterPlan) async -> Bool {
        guard let router = await routerRecord(id, plan: plan) else { return false }
        book.withLock { $0.router = router }
        return true
    }

    private func routerRecord(_ id: String, plan: RouterPlan) async -> RuntimeBook.Router? {
        guard let info = try? await client.inspectContainer(id), info.state.running,
              let control = info.labels[ContainerLabels.routerControl].flatMap(Int.init),
              let secret = await ControlSecrets.secret(of: id, alsoKnownAs: info.id, client: client)
        else { return nil }
        let host = ProbeRunner.dialable(plan.host)
        return RuntimeBook.Router(containerID: id, control: ControlEndpoint(host: host, port: control, secret: secret), plan: plan)
    }

    private func awaitRouterAnswering() async throws(NodeFailure) {
        guard let router = book.withLock({ $0.router }) else { return }
        let deadline = ContinuousClock.now + .seconds(10)
        var lastError = "no answer"
        while ContinuousClock.now < deadline {
            do {
                _ = try await routerCommand(router, "HELLO")
                return
            } catch {
                lastError = "\(error)"
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw NodeFailure("the router does not answer on \(router.control): \(lastError)", tail: await lastLogLines(router.containerID),
                          hint: "see `docker logs \(ContainerLabels.routerName(project: project))`")
    }

    /// Sends one control line to the router on a fresh authenticated channel; the text after `OK`.
    func routerCommand(_ router: RuntimeBook.Router, _ line: String) async throws -> String {
        let endpoint = router.control
        return try await BlockingWork.run(name: "wbuild-router-control") { () throws -> String in
            try ControlChannel.command(line, to: endpoint, program: RouterBinary.program, timeoutMs: 1000, replyTimeoutSeconds: 5)
        }
    }
}

extension WorkloadRuntime {
    /// Follows the router's requests as `route` events until `stopRouterEvents` (once per runtime).
    func startRouterEvents() {
        let events = self.events
        book.withLock { book in
            guard book.routerEvents == nil, !book.shuttingDown else { return }
            book.routerEvents = RouterEventStream(endpoint: { [weak self] in self?.book.withLock { $0.router?.control } },
                                                  events: events)
        }
    }

    func stopRouterEvents() {
        book.withLock { book in
            book.routerEvents?.stop()
            book.routerEvents = nil
        }
    }
}
