import Foundation
import WBuildRender
import WBuildSpec

/// The cluster a deploy talks to: kubectl, the kube context (from `--context`, else
/// `kubernetes.cluster.context`, else the kubeconfig's current one) once the context policy
/// allows it, and the server's version (which decides API versions such as
/// `autoscaling/v2beta2` on 1.20).
struct KubernetesConnection: Sendable {
    let kubectl: KubectlSession
    let context: KubeContext
    let serverVersion: KubernetesVersion?

    /// - Throws: `.usage` for a missing tool, an unknown or refused context; `.failed` when the
    ///   cluster does not answer.
    static func open(spec: ProjectSpec, projectRoot: String, contextOverride: String?,
                     askVersion: Bool = true) async throws(WBuildError) -> KubernetesConnection {
        let tool = try ClusterTool.find(.kubectl, spec: spec, projectRoot: projectRoot)
        let context = try await selectContext(tool: tool, spec: spec, contextOverride: contextOverride)
        if let refusal = KubeContextPolicy.refusal(context, allowed: spec.kubernetes?.cluster?.context) { throw refusal }
        let session = KubectlSession(tool: tool, context: context.name)
        guard askVersion else { return KubernetesConnection(kubectl: session, context: context, serverVersion: nil) }
        let output = try await session.run(["version", "-o", "json", "--request-timeout", "10s"])
        let version = serverVersion(json: output.stdout)
        guard output.ok || version != nil else {
            throw WBuildError(.failed, "cannot reach the cluster of kube context `\(context.name)` (server \(context.server)):\n  \(output.reason())",
                              hint: "check that the cluster runs and that `\(tool.path) --context \(context.name) get nodes` works")
        }
        return KubernetesConnection(kubectl: session, context: context, serverVersion: version)
    }

    static func selectContext(tool: ClusterTool, spec: ProjectSpec, contextOverride: String?) async throws(WBuildError) -> KubeContext {
        let json = try await tool.checked(["config", "view", "-o", "json"], "reading the kubeconfig",
                                          hint: "check KUBECONFIG (or ~/.kube/config): `kubectl config view` must work")
        guard let view = KubeConfigView(json: json) else {
            throw WBuildError(.failed, "`kubectl config view -o json` printed no kubeconfig", hint: "check KUBECONFIG (or ~/.kube/config)")
        }
        let chosen = contextOverride ?? spec.kubernetes?.cluster?.context ?? view.currentContext
        guard let name = chosen else {
            throw WBuildError(.usage, "no kube context to deploy to: the kubeconfig selects none and wbuild.json names none",
                              hint: "pass --context NAME, or set kubernetes.cluster.context in wbuild.json (contexts: \(view.contexts.map(\.name).joined(separator: ", ")))")
        }
        guard let context = view.context(named: name) else {
            let source = contextOverride != nil ? "--context" : spec.kubernetes?.cluster?.context != nil ? "kubernetes.cluster.context" : "the kubeconfig's current-context"
            let known = view.contexts.map(\.name)
            throw WBuildError(.usage, "kube context `\(name)` (from \(source)) is not in the kubeconfig",
                              hint: known.isEmpty ? "the kubeconfig has no contexts: check KUBECONFIG" : "use one of: \(known.joined(separator: ", "))")
        }
        return context
    }

    /// `serverVersion` of `kubectl version -o json`: `1.20`.
    static func serverVersion(json: String) -> KubernetesVersion? {
        struct Document: Decodable {
            struct Version: Decodable { var gitVersion: String?; var major: String?; var minor: String? }
            var serverVersion: Version?
        }
        // kubectl may print a warning (version skew) after the JSON.
        let text = json.range(of: "\n}").map { String(json[..<$0.upperBound]) } ?? json
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(text.utf8)), let server = document.serverVersion else { return nil }
        if let git = server.gitVersion, let version = KubernetesVersion(parsing: String(git.split(separator: "-").first ?? "")) {
            return version
        }
        let minor = (server.minor ?? "").filter(\.isNumber)
        return KubernetesVersion(parsing: "\(server.major ?? ""). \(minor)".replacingOccurrences(of: " ", with: ""))
    }

}
