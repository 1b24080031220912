/// `publish.registry` as `host[:port][/path]`: the host and port part checked, so a later
/// connection (`wbuild doctor`, a push) never meets a port that does not fit in 16 bits.
enum RegistryAddress {
    /// What is wrong with `registry`'s host and port, or nil when they are usable.
    static func problem(in registry: String) -> String? {
        let hostPort = registry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if hostPort.isEmpty { return "the host is empty" }
        var host = Substring(hostPort)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "an IPv6 address needs its closing `]`" }
            let rest = host[host.index(after: close)...]
            host = host[...close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return "expected `:PORT` after `]`" }
                port = rest.dropFirst()
            }
        } else if let colon = host.firstIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
            if port?.contains(":") == true { return "write an IPv6 address in brackets, e.g. [::1]:5000" }
        }
        if host.isEmpty || host == "[]" { return "the host is empty" }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
                  let number = Int(port), (1...65535).contains(number) else {
                return "the port must be a whole number 1–65535, got `\(SpecDecoder.shortened(String(port)))`"
            }
        }
        return nil
    }
}
