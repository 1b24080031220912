/// `ports` and `resources`.
extension SpecDecoder {
    static let portKeys = ["name", "container", "host", "hostIp", "protocol"]

    func decodePorts(_ node: SpecNode, owner: String) -> [PortSpec] {
        guard let elements = array(node) else { return [] }
        var ports: [PortSpec] = []
        var containerPortsSeen: [Int: SpecKeyPath] = [:]
        var namesSeen: [String: SpecKeyPath] = [:]
        for element in elements {
            guard let object = object(element, allowedKeys: Self.portKeys) else { continue }
            let containerNode = required(object, "container", hint: "the port the process listens on, 1–65535")
            let container = containerNode.flatMap { integer($0, in: 1...65535) }
            var port = PortSpec(container: container ?? 0)
            if let nameNode = object.member("name"), let name = string(nameNode) {
                if !Names.isValidPortName(name) {
                    report("invalid port name \"\(Self.shortened(name))\"", at: nameNode,
                           hint: "port names use lowercase letters, digits and `-`, at most 15 characters")
                } else if let earlier = namesSeen[name] {
                    report("duplicate port name \"\(name)\": \(earlier) already uses it", at: nameNode)
                } else {
                    namesSeen[name] = nameNode.path
                    port.name = name
                }
            }
            if let container, let containerNode {
                if let earlier = containerPortsSeen[container] {
                    report("duplicate container port \(container): \(earlier) already declares it", at: containerNode,
                           hint: "declare each container port once")
                } else {
                    containerPortsSeen[container] = containerNode.path
                }
            }
            if let hostIPNode = object.member("hostIp"), let hostIP = string(hostIPNode) {
                if Names.isPlausibleIPAddress(hostIP) {
                    port.hostIP = hostIP
                } else {
                    report("expected an IP address, got \"\(Self.shortened(hostIP))\"", at: hostIPNode,
                           hint: "e.g. \"127.0.0.1\" (the default) or \"0.0.0.0\" for every interface")
                }
            }
            if let hostNode = object.member("host"), let host = integer(hostNode, in: 0...65535) {
                port.host = host
                if host != 0 {
                    hostPortMentions.append(HostPortMention(owner: owner, hostIP: port.hostIP, port: host, node: hostNode))
                }
            }
            if let protocolNode = object.member("protocol"),
               let value = choice(protocolNode, PortProtocol.allCases.map { ($0.rawValue, $0) }) {
                port.protocol = value
            }
            ports.append(port)
        }
        return ports
    }

    func decodeResources(_ node: SpecNode) -> ResourceLimits? {
        guard let object = object(node, allowedKeys: ["cpus", "memory", "gpus"]) else { return nil }
        var limits = ResourceLimits()
        if let cpusNode = object.member("cpus") {
            if case .number(let number) = cpusNode.value.kind, number.value > 0, number.value <= 1024 {
                limits.cpus = number.value
            } else {
                report("expected a number of CPUs greater than 0 (e.g. 0.5), got \(Self.describe(cpusNode.value))",
                       at: cpusNode)
            }
        }
        if let memoryNode = object.member("memory") {
            limits.memoryBytes = decodeMemory(memoryNode)
        }
        if let gpusNode = object.member("gpus") {
            locate(gpusNode)
            switch gpusNode.value.kind {
            case .string("all"):
                limits.gpus = .all
            case .number(let number) where number.integerValue.map { (0...64).contains($0) } ?? false:
                limits.gpus = number.integerValue.map(GPURequest.count)
            default:
                report("expected a number of GPUs 0–64 or \"all\", got \(Self.describe(gpusNode.value))", at: gpusNode)
            }
        }
        return limits
    }

    private func decodeMemory(_ node: SpecNode) -> Int? {
        let expected = "expected a memory size like \(MemorySize.examples)"
        switch node.value.kind {
        case .number(let number):
            if let bytes = number.integerValue, bytes > 0 { return bytes }
        case .string(let text):
            if let bytes = MemorySize.parseBytes(text) { return bytes }
            report("\(expected), got \(Self.describe(node.value))", at: node, hint: MemorySize.hint(for: text))
            return nil
        default:
            break
        }
        report("\(expected), got \(Self.describe(node.value))", at: node)
        return nil
    }
}
