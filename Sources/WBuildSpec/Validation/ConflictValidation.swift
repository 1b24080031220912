/// Project-wide clashes: two ports on one host address, two workloads on one route.
extension SpecDecoder {
    func checkHostPortConflicts() {
        var published: [HostPortMention] = []
        for mention in hostPortMentions {
            if let earlier = published.first(where: { $0.port == mention.port && Self.addressesOverlap($0.hostIP, mention.hostIP) }) {
                report("host port \(mention.port) is already published by \(earlier.node.path)", at: mention.node,
                       hint: "choose another host port, or leave `host` out to get a free one")
            } else {
                published.append(mention)
            }
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

    private static func addressesOverlap(_ a: String, _ b: String) -> Bool {
        let wildcards: Set<String> = ["0.0.0.0", "::"]
        return a == b || wildcards.contains(a) || wildcards.contains(b)
    }
}
