import Foundation

/// Which kube context `deploy` may use, as Tilt's `allow_k8s_contexts`: one that looks like a
/// cluster on this machine (kind, k3d, minikube, Docker Desktop, Rancher Desktop, MicroK8s,
/// OrbStack, or an API server on a loopback address), or the one the project names in
/// `kubernetes.cluster.context`. Anything else is refused, so that a kubeconfig pointing at
/// production is never deployed to by accident. Pure: tested without a cluster.
public enum KubeContextPolicy {
    /// Context names (or prefixes ending in `-`) of tools that run a cluster on this machine.
    static let localNames = ["kind-", "k3d-", "minikube", "docker-desktop", "docker-for-desktop", "rancher-desktop",
                             "microk8s", "orbstack", "colima"]

    /// Whether the context is one of a local tool's, or its server is on a loopback address.
    public static func looksLocal(_ context: KubeContext) -> Bool {
        if localNames.contains(where: { $0.hasSuffix("-") ? context.name.hasPrefix($0) : context.name == $0 }) { return true }
        guard let host = serverHost(context.server) else { return false }
        return host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host.hasPrefix("127.")
            || host == "host.docker.internal" || host == "kubernetes.docker.internal"
    }

    /// The host of `https://HOST:PORT/path` (brackets of an IPv6 address removed).
    static func serverHost(_ server: String) -> String? {
        guard let url = URL(string: server), let host = url.host, !host.isEmpty else { return nil }
        return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host.lowercased()
    }

    /// nil when `context` may be deployed to; else why not and what to do.
    public static func refusal(_ context: KubeContext, allowed: String?) -> WBuildError? {
        if looksLocal(context) || context.name == allowed { return nil }
        let server = context.server.isEmpty ? "" : " (server \(context.server))"
        let other = allowed.map { "; the project allows only context `\($0)`" } ?? ""
        return WBuildError(
            .usage,
            "refusing to deploy to kube context `\(context.name)`\(server): it does not look like a cluster on this machine (kind, k3d, minikube, docker-desktop, or a loopback server)\(other)",
            hint: "if you mean to deploy there, name it in wbuild.json: kubernetes: { cluster: { context: \"\(context.name)\" } }")
    }
}
