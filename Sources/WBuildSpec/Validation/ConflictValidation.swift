/// Project-wide clashes: two ports on one host address, two workloads on one route.
extension SpecDecoder {
    func checkHostPortConflicts() {
        // Per host port: who publishes it on which address, and on a wildcard address.
        var byAddress: [Int: [String: HostPortMention]] = [:]
        var wildcard: [Int: HostPortMention] = [:]
        for mention in hostPortMentions {
            let published = byAddress[mention.port, default: [:]]
            let isWildcard = Self.wildcardAddresses.contains(mention.hostIP)
            let earlier = wildcard[mention.port] ?? published[mention.hostIP] ?? (isWildcard ? published.values.first : nil)
            if let earlier {
                report("host port \(mention.port) is already published by \(earlier.node.path)", at: mention.node,
                       hint: "choose another host port, or leave `host` out to get a free one")
                continue
            }
            byAddress[mention.port, default: [:]][mention.hostIP] = mention
            if isWildcard { wildcard[mention.port] = mention }
        }
    }

    func checkRouteConflicts() {
        var claimed: [String: RouteMention] = [:]
        for mention in routeMentions {
            if let earlier = claimed[mention.route] {
                report("route \"\(Self.shortened(mention.route))\" is already served by \(earlier.node.path)",
                       at: mention.node, hint: "each route goes to one workload")
            } else {
                claimed[mention.route] = mention
            }
        }
    }

    /// Addresses that bind every interface, and so clash with any address.
    private static let wildcardAddresses: Set<String> = ["0.0.0.0", "::"]
}
