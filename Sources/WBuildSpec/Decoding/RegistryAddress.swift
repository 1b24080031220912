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

    /// What is wrong with the repository path after the host (`/shop`, `/team/shop`), or nil.
    /// Docker repository components are lowercase letters and digits, separated by `.`, `_`,
    /// `__` or `-` runs; the engine refuses anything else only when it pushes.
    static func pathProblem(in registry: String) -> String? {
        let parts = registry.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for part in parts {
            if part.isEmpty { return "the path has an empty part (a doubled or trailing `/`)" }
            let scalars = part.unicodeScalars
            func isAlnum(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
            if let bad = scalars.first(where: { !(isAlnum($0) || $0 == "." || $0 == "_" || $0 == "-") }) {
                return "`\(bad)` is not allowed in a repository path (lowercase letters, digits, `.`, `_` and `-`)"
            }
            if let first = scalars.first, let last = scalars.last, !isAlnum(first) || !isAlnum(last) {
                return "each part of the path starts and ends with a lowercase letter or digit, got `\(part)`"
            }
        }
        return nil
    }
}

extension PublishSettings {
    /// What is wrong with `registry` as `host[:port][/path]` (a scheme, a bad port, an upper-case
    /// path), or nil: the check `publish.registry` gets, for `--registry`.
    public static func registryProblem(_ registry: String) -> String? {
        if registry.contains("://") { return "leave out the scheme" }
        return RegistryAddress.problem(in: registry) ?? RegistryAddress.pathProblem(in: registry)
    }
}
