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

    /// Two routes with the same host, path and match, on two workloads or twice on one: reported
    /// at the later one, naming both.
    func checkRouteConflicts() {
        let table = RouteTable(routeMentions.map(\.rule))
        for (first, second) in table.conflictingIndices {
            let earlier = routeMentions[first]
            let later = routeMentions[second]
            report("\(earlier.node.path) (line \(earlier.node.position.line):\(earlier.node.position.column)) and \(later.node.path) "
                   + "both claim \(Self.shortened(RouteTable.describeRequests(later.rule)))",
                   at: later.node, hint: "each host and path goes to one workload; change the path, the host or the match of one")
        }
    }

    /// Addresses that bind every interface, and so clash with any address.
    private static let wildcardAddresses: Set<String> = ["0.0.0.0", "::"]
}
