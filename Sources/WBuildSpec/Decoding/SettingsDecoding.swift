/// `publish`, `kubernetes`, `helm`, `swarm`, `watch`, `images`, `router`.
extension SpecDecoder {
    func decodePublish(_ node: SpecNode) -> PublishSettings? {
        guard let object = object(node, allowedKeys: ["registry", "tag", "extraTags"]),
              let registryNode = required(object, "registry", hint: "e.g. \"localhost:5000/shop\""),
              let registry = string(registryNode) else { return nil }
        if registry.contains("://") {
            report("expected a registry as host[:port][/path], got \"\(Self.shortened(registry))\"", at: registryNode,
                   hint: "leave out the scheme, e.g. \"localhost:5000/shop\"")
            return nil
        }
        if let problem = RegistryAddress.problem(in: registry) {
            report("expected a registry as host[:port][/path], got \"\(Self.shortened(registry))\": \(problem)",
                   at: registryNode, hint: "e.g. \"localhost:5000/shop\"; the port is 1–65535")
            return nil
        }
        if let problem = RegistryAddress.pathProblem(in: registry) {
            report("expected a registry as host[:port][/path], got \"\(Self.shortened(registry))\": \(problem)",
                   at: registryNode, hint: "repository paths use lowercase letters, digits and `._-` between `/`, e.g. \"localhost:5000/shop\"")
            return nil
        }
        var settings = PublishSettings(registry: registry)
        if let tagNode = object.member("tag"), let tag = string(tagNode) {
            if tag == "fingerprint" {
                settings.tag = .fingerprint
            } else if let problem = Self.imageTagProblem(tag) {
                report("invalid tag \"\(Self.shortened(tag))\": \(problem)", at: tagNode,
                       hint: "use \"fingerprint\" (the image's content hash, the default) or a Docker tag such as \"v1.2.0\"")
            } else {
                settings.tag = .fixed(tag)
            }
        }
        if let extraNode = object.member("extraTags"), let extras = stringListNodes(extraNode) {
            for (text, node) in extras {
                if let problem = Self.imageTagProblem(text) {
                    report("invalid tag \"\(Self.shortened(text))\": \(problem)", at: node, hint: "a Docker tag such as \"latest\"")
                } else if text == settings.tag.description {
                    report("\"\(text)\" is already the primary tag (`publish.tag`)", at: node, hint: "remove it from extraTags")
                } else if !settings.extraTags.contains(text) {
                    settings.extraTags.append(text)
                }
            }
        }
        return settings
    }

    /// Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    static func imageTagProblem(_ tag: String) -> String? {
        guard let first = tag.unicodeScalars.first else { return "a tag cannot be empty" }
        if tag.unicodeScalars.count > 128 { return "a tag has at most 128 characters" }
        func isWord(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_") }
        if !isWord(first) { return "a tag starts with a letter, digit or `_`" }
        if let bad = tag.unicodeScalars.first(where: { !(isWord($0) || $0 == "." || $0 == "-") }) {
            return "`\(bad)` is not allowed in a tag (letters, digits, `_`, `.` and `-` only)"
        }
        return nil
    }

    static let kubernetesKeys = ["namespace", "ingressClass", "routesAs", "imagePullSecrets", "hostPaths", "gpuResource",
                                 "gateway", "kubectl", "helm", "cluster"]

    func decodeKubernetes(_ node: SpecNode) -> KubernetesSettings? {
        guard let object = object(node, allowedKeys: Self.kubernetesKeys) else { return nil }
        var settings = KubernetesSettings()
        if let namespaceNode = object.member("namespace"), let namespace = string(namespaceNode) {
            if Self.isKubernetesName(namespace) {
                settings.namespace = namespace
            } else {
                report("invalid namespace \"\(Self.shortened(namespace))\"", at: namespaceNode,
                       hint: "Kubernetes namespaces use lowercase letters, digits and `-`, start and end with a letter or digit, and have at most 63 characters")
            }
        }
        settings.ingressClass = object.member("ingressClass").flatMap { string($0) }
        if let routesNode = object.member("routesAs"),
           let routesAs = choice(routesNode, RoutesRendering.allCases.map { ($0.rawValue, $0) }) {
            settings.routesAs = routesAs
        }
        if let secretsNode = object.member("imagePullSecrets"), let secrets = stringListNodes(secretsNode) {
            for (name, secretNode) in secrets {
                if Self.isKubernetesName(name) {
                    if !settings.imagePullSecrets.contains(name) { settings.imagePullSecrets.append(name) }
                } else {
                    report("invalid Secret name \"\(Self.shortened(name))\"", at: secretNode,
                           hint: "the name of a Secret of type kubernetes.io/dockerconfigjson in the namespace, e.g. \"regcred\"")
                }
            }
        }
        if let hostPathsNode = object.member("hostPaths"),
           let hostPaths = choice(hostPathsNode, HostPathRendering.allCases.map { ($0.rawValue, $0) }) {
            settings.hostPaths = hostPaths
        }
        if let gpuNode = object.member("gpuResource"), let gpu = string(gpuNode) {
            if gpu.contains("/") && !gpu.contains(" ") {
                settings.gpuResource = gpu
            } else {
                report("expected an extended resource name like \"nvidia.com/gpu\", got \"\(Self.shortened(gpu))\"", at: gpuNode,
                       hint: "the name the cluster's device plugin advertises: nvidia.com/gpu, amd.com/gpu, gpu.intel.com/i915")
            }
        }
        if let gatewayNode = object.member("gateway"), let gateway = string(gatewayNode) {
            if Self.isKubernetesName(gateway) {
                settings.gateway = gateway
            } else {
                report("invalid Gateway name \"\(Self.shortened(gateway))\"", at: gatewayNode,
                       hint: "the name of the Gateway the HTTPRoutes attach to, in lowercase letters, digits and `-`")
            }
        }
        settings.kubectl = object.member("kubectl").flatMap { toolPath($0, tool: "kubectl") }
        settings.helm = object.member("helm").flatMap { toolPath($0, tool: "helm") }
        if let clusterNode = object.member("cluster"),
           let cluster = self.object(clusterNode, allowedKeys: ["existing", "context", "valuesFile"]) {
            let valuesNode = cluster.member("valuesFile")
            if let valuesNode { locate(valuesNode) }
            settings.cluster = ClusterSettings(
                existing: cluster.member("existing").flatMap { bool($0) } ?? false,
                context: cluster.member("context").flatMap { contextName($0) },
                valuesFile: valuesNode.flatMap { string($0) })
        }
        return settings
    }

    /// `kubernetes.kubectl` / `kubernetes.helm`: a program name or a path, not empty.
    func toolPath(_ node: SpecNode, tool: String) -> String? {
        guard let text = string(node) else { return nil }
        guard !text.isEmpty, !text.contains(where: { $0.isNewline || $0 == "\0" }) else {
            report("expected the \(tool) to run, as a name on PATH or a path, got \"\(Self.shortened(text))\"", at: node,
                   hint: "e.g. \"/usr/local/bin/\(tool)\", or leave the key out to use \(tool) from PATH")
            return nil
        }
        return text
    }

    /// `kubernetes.cluster.context`: a kubeconfig context name (the one deploy may use even when
    /// it does not look local).
    func contextName(_ node: SpecNode) -> String? {
        guard let text = string(node) else { return nil }
        guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "\0" }) else {
            report("expected a kubeconfig context name, got \"\(Self.shortened(text))\"", at: node,
                   hint: "one of the names `kubectl config get-contexts -o name` prints, e.g. \"kind-dev\"")
            return nil
        }
        return text
    }

    /// A DNS-1123 label: lowercase letters, digits and `-`, starting and ending with a letter or
    /// digit, at most 63 characters (namespaces, Secret and Gateway names).
    static func isKubernetesName(_ text: String) -> Bool {
        Names.isValidName(text) && !text.hasSuffix("-")
    }

    func decodeHelm(_ node: SpecNode) -> HelmSettings? {
        guard let object = object(node, allowedKeys: ["chart", "version"]) else { return nil }
        var settings = HelmSettings()
        if let chartNode = object.member("chart"), let chart = string(chartNode) {
            if Self.isKubernetesName(chart) {
                settings.chart = chart
            } else {
                report("invalid chart name \"\(Self.shortened(chart))\"", at: chartNode,
                       hint: "Helm chart names use lowercase letters, digits and `-`, e.g. \"shop\"")
            }
        }
        if let versionNode = object.member("version"), let version = string(versionNode) {
            if Self.isSemanticVersion(version) {
                settings.version = version
            } else {
                report("expected a SemVer 2 version like \"0.1.0\", got \"\(Self.shortened(version))\"", at: versionNode,
                       hint: "Helm requires MAJOR.MINOR.PATCH, optionally with -PRERELEASE or +BUILD")
            }
        }
        return settings
    }

    /// `MAJOR.MINOR.PATCH[-pre][+build]` with numeric, non-padded parts.
    static func isSemanticVersion(_ text: String) -> Bool {
        let core = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && (part.count == 1 || !part.hasPrefix("0"))
        } && !text.hasSuffix("-") && !text.hasSuffix("+")
    }

    func decodeSwarm(_ node: SpecNode) -> SwarmSettings? {
        guard let object = object(node, allowedKeys: ["stack", "host"]) else { return nil }
        var settings = SwarmSettings()
        if let stackNode = object.member("stack"), let stack = string(stackNode) {
            if Names.isValidName(stack) {
                settings.stack = stack
            } else {
                report("invalid stack name \"\(Self.shortened(stack))\"", at: stackNode,
                       hint: "lowercase letters, digits and `-`, e.g. \"shop\"")
            }
        }
        if let hostNode = object.member("host"), let host = string(hostNode) {
            if host.hasPrefix("unix://") || host.hasPrefix("tcp://") {
                settings.host = host
            } else {
                report("expected an engine address like unix:///run/docker.sock or tcp://10.0.0.1:2375, got \"\(Self.shortened(host))\"",
                       at: hostNode, hint: "the swarm manager's engine, as DOCKER_HOST writes it")
            }
        }
        return settings
    }

    func decodeWatch(_ node: SpecNode) -> WatchSettings? {
        guard let object = object(node, allowedKeys: ["settleMs", "maxDelayMs", "ignore"]) else { return nil }
        var settings = WatchSettings()
        if let value = object.member("settleMs").flatMap({ integer($0, in: 0...60_000) }) { settings.settleMs = value }
        if let maxNode = object.member("maxDelayMs"), let value = integer(maxNode, in: 0...600_000) {
            settings.maxDelayMs = value
            if value < settings.settleMs {
                report("expected maxDelayMs ≥ settleMs (\(settings.settleMs)), got \(value)", at: maxNode,
                       hint: "maxDelayMs caps how long a busy burst can postpone a build; it cannot be shorter than the settle window")
            }
        }
        settings.ignore = object.member("ignore").flatMap { patternList($0, as: .ignoreRule) } ?? []
        return settings
    }

    func decodeImages(_ node: SpecNode) -> ImageSettings? {
        guard let object = object(node, allowedKeys: ["keep"]) else { return nil }
        var settings = ImageSettings()
        if let keep = object.member("keep").flatMap({ integer($0, in: 1...1000) }) { settings.keep = keep }
        return settings
    }

    func decodeRouter(_ node: SpecNode) -> RouterSettings? {
        guard let object = object(node, allowedKeys: ["port", "host", "holdMs"]) else { return nil }
        var settings = RouterSettings()
        settings.port = object.member("port").flatMap { integer($0, in: 1...65535) }
        if let hostNode = object.member("host"), let host = string(hostNode) {
            if Self.isIPv4Literal(host) {
                settings.host = host
            } else {
                report("expected an IPv4 address to listen on, got \"\(Self.shortened(host))\"", at: hostNode,
                       hint: "\(RouterSettings.defaultHost) (the default) serves this machine only; 0.0.0.0 every interface")
            }
        }
        if let hold = object.member("holdMs").flatMap({ integer($0, in: 0...RouterSettings.maximumHoldMs) }) {
            settings.holdMs = hold
        }
        return settings
    }

    /// `a.b.c.d`, each 0–255 in decimal without leading zeros.
    static func isIPv4Literal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.utf8.count <= 3 && part.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                && (part.count == 1 || !part.hasPrefix("0")) && (Int(part) ?? 256) <= 255
        }
    }
}
