import WBuildCore
import WBuildRender

/// What `wbuild status --target kubernetes|helm` shows: each Deployment's rollout and, for
/// helm, the release.
public struct KubernetesStatus: Sendable, Equatable {
    /// One Deployment.
    public struct Deployment: Sendable, Equatable {
        public var name: String
        public var ready: Int
        public var desired: Int
        public var updated: Int
        public var complete: Bool
    }

    public var target: RenderTarget
    public var context: String
    public var namespace: String
    public var deployments: [Deployment]
    /// helm: `deployed 3` (status and revision); nil when not installed or for kubernetes.
    public var release: String?

    /// `{"type":"kubernetes-status","target":…,"context":…,"namespace":…,"release":…,"deployments":[…]}`.
    public var json: JSONText {
        .object([
            ("type", .string("kubernetes-status")), ("target", .string(target.rawValue)), ("context", .string(context)),
            ("namespace", .string(namespace)), ("release", release.map(JSONText.string) ?? .null),
            ("deployments", .array(deployments.map { deployment in
                .object([("name", .string(deployment.name)), ("ready", .int(deployment.ready)), ("desired", .int(deployment.desired)),
                         ("updated", .int(deployment.updated)), ("complete", .bool(deployment.complete))])
            })),
        ])
    }
}

extension Engine {
    /// `wbuild status --target kubernetes|helm [--context C]`: the project's Deployments on the cluster.
    public func kubernetesStatus(target: RenderTarget, context: String?) async throws(WBuildError) -> KubernetesStatus {
        let connection = try await KubernetesConnection.open(spec: project.spec, projectRoot: project.layout.root,
                                                             contextOverride: context, askVersion: false)
        let json = try await connection.kubectl.checked(["get", "deployments.apps", "-n", kubernetesNamespace,
                                                         "-l", "dev.wbuild.project=\(project.spec.name)", "-o", "json"],
                                                        "reading the project's Deployments")
        let states = DeploymentState.parse(json: json) ?? []
        var release: String?
        if target == .helm {
            let helm = KubectlSession(tool: try ClusterTool.find(.helm, spec: project.spec, projectRoot: project.layout.root),
                                      context: connection.context.name)
            let output = try await helm.run(["status", project.spec.name, "-n", kubernetesNamespace, "-o", "json"])
            release = output.ok ? HelmRelease.parse(json: output.stdout).map { "\($0.status) (revision \($0.revision))" } : nil
        }
        return KubernetesStatus(target: target, context: connection.context.name, namespace: kubernetesNamespace,
                                deployments: states.map { .init(name: $0.name, ready: $0.ready, desired: $0.desired,
                                                                updated: $0.updated, complete: $0.isComplete) },
                                release: release)
    }

    /// `wbuild down --target kubernetes|helm [--context C]`: uninstalls the release (helm), then
    /// deletes every object labelled `dev.wbuild.project=<name>` and the project's namespace,
    /// waiting until they are gone. Returns what was removed (`deployment.apps/api`, …).
    public func kubernetesDown(target: RenderTarget, context: String?) async throws(WBuildError) -> [String] {
        let connection = try await KubernetesConnection.open(spec: project.spec, projectRoot: project.layout.root,
                                                             contextOverride: context, askVersion: false)
        let kubectl = connection.kubectl
        var removed: [String] = []
        if target == .helm {
            let helm = KubectlSession(tool: try ClusterTool.find(.helm, spec: project.spec, projectRoot: project.layout.root),
                                      context: connection.context.name)
            let output = try await helm.run(["uninstall", project.spec.name, "-n", kubernetesNamespace, "--wait"])
            if output.ok {
                removed.append("release \(project.spec.name)")
            } else if !output.stderr.contains("not found") {
                throw WBuildError(.failed, "helm uninstall \(project.spec.name) failed:\n  \(output.reason())",
                                  hint: "run `helm --kube-context \(connection.context.name) -n \(kubernetesNamespace) uninstall \(project.spec.name)` yourself")
            }
        }
        let label = "dev.wbuild.project=\(project.spec.name)"
        let namespaced = KubernetesPlan.resources.filter { $0.kind != "Namespace" && $0.kind != "HTTPRoute" }.map(\.resource)
        removed += try await delete(kubectl, ["delete", namespaced.joined(separator: ","), "--all-namespaces", "-l", label,
                                              "--ignore-not-found", "--wait=true", "-o", "name"])
        // The namespace: the project's own when labelled so (kubernetes), or the one
        // `helm --create-namespace` made for the release.
        let existing = project.spec.kubernetes?.cluster?.existing ?? false
        let shared = ["default", "kube-system", "kube-public", "kube-node-lease"].contains(kubernetesNamespace)
        if target == .helm, !existing, !shared {
            removed += try await delete(kubectl, ["delete", "namespace", kubernetesNamespace, "--ignore-not-found", "--wait=true", "-o", "name"])
        } else {
            removed += try await delete(kubectl, ["delete", "namespaces", "-l", label, "--ignore-not-found", "--wait=true", "-o", "name"])
        }
        return removed
    }

    private func delete(_ kubectl: KubectlSession, _ arguments: [String]) async throws(WBuildError) -> [String] {
        let output = try await kubectl.checked(arguments, "removing the project's objects")
        return output.split(separator: "\n").map(String.init).filter { $0.contains("/") }
    }
}
