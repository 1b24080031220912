import Synchronization

/// Which registries the engine reaches over plain HTTP, from its `/info` (`RegistryConfig`):
/// the `IndexConfigs` marked not secure (`--insecure-registry HOST:PORT`) and the
/// `InsecureRegistryCIDRs` (127.0.0.0/8 by default). Asked once per client, and only for a
/// registry off loopback; shared by the client's copies.
final class EngineRegistrySecurity: Sendable {
    struct Insecure: Sendable, Equatable {
        var hostPorts: Set<String> = []
        /// Network and prefix length.
        var cidrs: [(network: [UInt8], bits: Int)] = []

        static func == (lhs: Insecure, rhs: Insecure) -> Bool {
            lhs.hostPorts == rhs.hostPorts && lhs.cidrs.map { "\($0.network)/\($0.bits)" } == rhs.cidrs.map { "\($0.network)/\($0.bits)" }
        }

        func allows(_ parts: RegistryParts) -> Bool {
            if hostPorts.contains(parts.hostPort) { return true }
            guard let address = parts.ipv4 else { return false }
            return cidrs.contains { Self.address(address, isIn: $0.network, bits: $0.bits) }
        }

        static func address(_ address: [UInt8], isIn network: [UInt8], bits: Int) -> Bool {
            for index in 0..<4 {
                let left = max(0, min(8, bits - index * 8))
                let mask: UInt8 = left == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - left))
                if address[index] & mask != network[index] & mask { return false }
            }
            return true
        }

        /// `10.0.0.0/8` → ([10, 0, 0, 0], 8); nil for IPv6 or anything malformed.
        static func cidr(_ text: String) -> (network: [UInt8], bits: Int)? {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits) else { return nil }
            let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
            let values = octets.compactMap { UInt8($0) }
            guard octets.count == 4, values.count == 4 else { return nil }
            return (values, bits)
        }
    }

    private let known = Mutex<Insecure?>(nil)

    /// Whether `parts`' registry is one the engine speaks plain HTTP to. Loopback always is; for
    /// another, an engine that cannot be asked means no.
    func allowsPlainHTTP(_ parts: RegistryParts, client: DockerClient) async -> Bool {
        if parts.isLoopback { return true }
        if let insecure = known.withLock({ $0 }) { return insecure.allows(parts) }
        let insecure = await Self.ask(client)
        known.withLock { $0 = insecure }
        return insecure.allows(parts)
    }

    /// Takes the registry part of an `/info` another call already made (a swarm deploy asks
    /// `/info` for its membership), so that this one is not asked again.
    func remember(_ config: EngineRegistryConfig?) {
        let insecure = Self.insecure(config)
        known.withLock { $0 = insecure }
    }

    private static func ask(_ client: DockerClient) async -> Insecure {
        struct Info: Decodable { var RegistryConfig: EngineRegistryConfig? }
        guard let info = try? await client.decoding(Info.self, client.request("GET", "/info")) else { return Insecure() }
        return insecure(info.RegistryConfig)
    }

    private static func insecure(_ config: EngineRegistryConfig?) -> Insecure {
        let hostPorts = (config?.IndexConfigs ?? [:]).filter { $0.value.Secure == false }.map { $0.key.lowercased() }
        return Insecure(hostPorts: Set(hostPorts), cidrs: (config?.InsecureRegistryCIDRs ?? []).compactMap(Insecure.cidr))
    }
}

/// `RegistryConfig` of the engine's `/info`: the registries it knows and whether each is secure.
struct EngineRegistryConfig: Decodable, Sendable {
    struct Index: Decodable, Sendable { var Name: String?; var Secure: Bool? }
    var IndexConfigs: [String: Index]?
    var InsecureRegistryCIDRs: [String]?
}
