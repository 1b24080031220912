import Foundation

/// Registry names as the Docker CLI compares them.
enum RegistryHost {
    /// Docker Hub's key in config.json and the server address its helpers are asked for.
    static let dockerHubServerAddress = "https://index.docker.io/v1/"

    /// `https://host:5000/v1/` → `host:5000`: the scheme and any path dropped, as the CLI's
    /// `ConvertToHostname` does, so `auths` keys written either way match.
    static func normalized(_ address: String) -> String {
        var rest = Substring(address.trimmingCharacters(in: .whitespaces))
        for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        return canonicalHub(String(rest))
    }

    /// Docker Hub's several names become `index.docker.io`, the host of its config key.
    static func canonicalHub(_ host: String) -> String {
        switch host.lowercased() {
        case "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com": return "index.docker.io"
        default: return host
        }
    }

    /// What a helper is asked for and the engine is told: the Hub's historical URL, else the host.
    static func serverAddress(for host: String) -> String {
        canonicalHub(host) == "index.docker.io" ? dockerHubServerAddress : host
    }
}
