/// `workloads.NAME`: image source, command, env and the scalar settings; the rest is in
/// the `WorkloadDecoding+…` files.
extension SpecDecoder {
    static let workloadKeys = [
        "build", "image", "command", "entrypoint", "workdir", "env", "secretEnv", "ports", "resources", "readiness",
        "liveness", "startup", "replicas", "autoscale", "rollout", "routes", "volumes", "sidecars", "debug", "dependsOn",
        "stopGraceMs", "liveUpdate",
    ]
    /// Longest duration a `…Ms` setting accepts: one day.
    static let maximumMilliseconds = 86_400_000

    func decodeWorkload(_ node: SpecNode, name: String) -> WorkloadSpec? {
        guard let object = object(node, allowedKeys: Self.workloadKeys) else { return nil }
        var source: ImageSource?
        switch exactlyOne(
            of: ["build", "image"], in: object,
            neitherHint: "give `build: { context: \"…\" }` to build from a Dockerfile, or `image: \"name:tag\"` to pull")
        {
        case "build": source = object.member("build").flatMap { decodeBuild($0) }.map(ImageSource.build)
        case "image": source = object.member("image").flatMap { string($0) }.map(ImageSource.image)
        default: break
        }
        var workload = WorkloadSpec(name: name, source: source ?? .image(""))

        if let commandNode = object.member("command") {
            workload.command = decodeContainerCommand(commandNode, allowShellString: true)
            noteBindings(in: commandNode, owner: name)
        }
        if let entrypointNode = object.member("entrypoint") {
            workload.entrypoint = decodeContainerCommand(entrypointNode, allowShellString: false)
            noteBindings(in: entrypointNode, owner: name)
        }
        workload.workdir = object.member("workdir").flatMap { decodeAbsolutePath($0) }
        if let envNode = object.member("env"), let entries = stringMapNodes(envNode) {
            workload.env = entries.map(\.pair)
            for entry in entries { noteBindings(in: entry.node, owner: name) }
        }
        if let secretNode = object.member("secretEnv") {
            workload.secretEnv = decodeSecrets(secretNode, plain: workload.env, plainKey: "env")
        }
        if let portsNode = object.member("ports") {
            workload.ports = decodePorts(portsNode, owner: name)
        }
        if let resourcesNode = object.member("resources"), let resources = decodeResources(resourcesNode) {
            workload.resources = resources
        }
        workload.readiness = object.member("readiness").flatMap { decodeProbe($0) }
        workload.liveness = object.member("liveness").flatMap { decodeProbe($0) }
        workload.startup = object.member("startup").flatMap { decodeProbe($0) }
        if let replicas = object.member("replicas").flatMap({ integer($0, in: 1...1000) }) {
            workload.replicas = replicas
        }
        if let autoscaleNode = object.member("autoscale") {
            locate(autoscaleNode)
            workload.autoscale = decodeAutoscale(autoscaleNode, replicasNode: object.member("replicas"))
        }
        if let rolloutNode = object.member("rollout") {
            workload.rollout = decodeRollout(rolloutNode)
        }
        if let routesNode = object.member("routes") {
            workload.routes = decodeRoutes(routesNode, owner: name, ports: workload.ports)
        }
        if let volumesNode = object.member("volumes") {
            workload.volumes = decodeVolumes(volumesNode)
        }
        if let sidecarsNode = object.member("sidecars") {
            workload.sidecars = decodeSidecars(sidecarsNode)
        }
        if let debugNode = object.member("debug"), let debug = self.object(debugNode, allowedKeys: ["port"]),
           let port = required(debug, "port").flatMap({ integer($0, in: 1...65535) }) {
            workload.debug = DebugSpec(port: port)
        }
        noteDependencies(object.member("dependsOn"), owner: DependencyReference(.workload, name))
        if let grace = object.member("stopGraceMs").flatMap({ integer($0, in: 0...Self.maximumMilliseconds) }) {
            workload.stopGraceMs = grace
        }
        if let liveUpdateNode = object.member("liveUpdate") {
            workload.liveUpdate = decodeLiveUpdate(liveUpdateNode, volumes: object.member("volumes"))
            if case .image = source {
                report("live update needs a workload built from the project (`build`), not a pulled `image`",
                       at: liveUpdateNode, hint: "remove `liveUpdate`, or build the image with `build: { context: … }`")
            }
        }
        return workload
    }

    private func decodeBuild(_ node: SpecNode) -> BuildSpec? {
        guard let object = object(node, allowedKeys: ["context", "dockerfile", "args", "secretArgs", "target"]) else { return nil }
        guard let contextNode = required(object, "context", hint: "the directory sent to the build, relative to wbuild.json"),
              let context = string(contextNode) else { return nil }
        locate(contextNode)
        let dockerfileNode = object.member("dockerfile")
        if let dockerfileNode { locate(dockerfileNode) }
        let args = object.member("args").flatMap { stringMap($0) } ?? []
        return BuildSpec(
            context: context,
            dockerfile: dockerfileNode.flatMap { string($0) },
            args: args,
            secretArgs: object.member("secretArgs").map { decodeSecrets($0, plain: args, plainKey: "args") } ?? [],
            target: object.member("target").flatMap { string($0) })
    }

    /// `command`/`entrypoint`: an array of strings; for `command`, a string means `["/bin/sh", "-c", string]`.
    func decodeContainerCommand(_ node: SpecNode, allowShellString: Bool) -> [String]? {
        if allowShellString, case .string = node.value.kind {
            return decodeTaskCommand(node)?.arguments
        }
        if case .array = node.value.kind {
            return decodeArguments(node)
        }
        report(allowShellString
               ? "expected an array of arguments or a string (run with /bin/sh -c), got \(Self.describe(node.value))"
               : "expected an array of arguments, got \(Self.describe(node.value))", at: node)
        return nil
    }

    /// A path that must be absolute (inside a container).
    func decodeAbsolutePath(_ node: SpecNode) -> String? {
        guard let path = string(node) else { return nil }
        guard path.hasPrefix("/") else {
            report("expected an absolute path in the container, got \"\(Self.shortened(path))\"", at: node,
                   hint: "start it with `/`")
            return nil
        }
        return path
    }

    /// Finds the bindings in a string or in each string of an array, recording them as
    /// cross-references and reporting malformed ones.
    private func noteBindings(in node: SpecNode, owner: String) {
        switch node.value.kind {
        case .string(let text):
            do {
                for reference in try BindingTemplate(parsing: text).references {
                    bindingMentions.append(BindingMention(owner: owner, reference: reference, node: node))
                }
            } catch {
                report(error.message, at: node, hint: error.hint)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                noteBindings(in: SpecNode(value: element, path: node.path.appending(index: index)), owner: owner)
            }
        default:
            break
        }
    }

    private func decodeRollout(_ node: SpecNode) -> RolloutSpec? {
        guard let object = object(node, allowedKeys: ["order", "parallelism", "failureAction", "monitorMs"]) else { return nil }
        var rollout = RolloutSpec()
        if let order = object.member("order").flatMap({ choice($0, RolloutSpec.Order.allCases.map { ($0.rawValue, $0) }) }) {
            rollout.order = order
        }
        if let parallelism = object.member("parallelism").flatMap({ integer($0, in: 1...1000) }) {
            rollout.parallelism = parallelism
        }
        if let action = object.member("failureAction")
            .flatMap({ choice($0, RolloutSpec.FailureAction.allCases.map { ($0.rawValue, $0) }) }) {
            rollout.failureAction = action
        }
        if let monitor = object.member("monitorMs").flatMap({ integer($0, in: 0...Self.maximumMilliseconds) }) {
            rollout.monitorMs = monitor
        }
        return rollout
    }

    private func decodeAutoscale(_ node: SpecNode, replicasNode: SpecNode?) -> AutoscaleSpec? {
        guard let object = object(node, allowedKeys: ["min", "max", "cpuPercent"]) else { return nil }
        let minimum = required(object, "min").flatMap { integer($0, in: 1...1000) }
        let maximumNode = required(object, "max")
        let maximum = maximumNode.flatMap { integer($0, in: 1...1000) }
        let cpuPercent = object.member("cpuPercent").flatMap { integer($0, in: 1...100) }
        guard let minimum, let maximum, let maximumNode else { return nil }
        if maximum < minimum {
            report("expected max ≥ min (\(minimum)), got \(maximum)", at: maximumNode)
            return nil
        }
        if let replicasNode, case .number(let number) = replicasNode.value.kind,
           let replicas = number.integerValue, !(minimum...maximum).contains(replicas) {
            report("replicas \(replicas) is outside autoscale's \(minimum)–\(maximum)", at: replicasNode,
                   hint: "with autoscale, replicas is the starting count; keep it between min and max, or leave it out")
        }
        return AutoscaleSpec(min: minimum, max: maximum, cpuPercent: cpuPercent ?? AutoscaleSpec.defaultCPUPercent)
    }
}
