import Foundation
import WBuildRender
import WBuildSpec

/// `wbuild doctor --target kubernetes|helm`: kubectl (and Helm) found and runnable, the kube
/// context known and allowed by the context policy, the cluster answering — each failure with
/// its fix.
extension Doctor {
    public static func runKubernetes(projectFile: String, target: RenderTarget, context override: String?) async -> [DoctorCheck] {
        let path = Engine.absolutePath(projectFile)
        let root = (path as NSString).deletingLastPathComponent
        let spec: ProjectSpec
        do {
            spec = try ProjectLoader.load(path: path)
        } catch {
            return [DoctorCheck(projectFileCheck, .failed, error.description, fix: "edit the project file at the line and column shown")]
        }
        var checks = [DoctorCheck(projectFileCheck, .ok, path)]
        var programs: [ClusterTool.Program] = [.kubectl]
        if target == .helm { programs.append(.helm) }
        var kubectl: ClusterTool?
        for program in programs {
            do {
                let tool = try ClusterTool.find(program, spec: spec, projectRoot: root)
                let arguments = program == .helm ? ["version", "--short"] : ["version", "--client", "-o", "json"]
                let output = try await tool.run(arguments)
                guard output.ok else {
                    checks.append(DoctorCheck(program.rawValue, .failed, "\(tool.path) does not run: \(output.reason())",
                                              fix: "set kubernetes.\(program.rawValue) to a working \(program.rawValue), or run scripts/setup.sh"))
                    continue
                }
                let version = program == .helm ? output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    : clientVersion(output.stdout) ?? "unknown version"
                checks.append(DoctorCheck(program.rawValue, .ok, "\(tool.path) (\(version))"))
                if program == .kubectl { kubectl = tool }
            } catch {
                checks.append(DoctorCheck(program.rawValue, .failed, error.message, fix: error.hint))
            }
        }
        guard let kubectl else { return checks }
        let context: KubeContext
        do {
            context = try await KubernetesConnection.selectContext(tool: kubectl, spec: spec, contextOverride: override)
        } catch {
            checks.append(DoctorCheck("kube context", .failed, error.message, fix: error.hint))
            return checks
        }
        if let refusal = KubeContextPolicy.refusal(context, allowed: spec.kubernetes?.cluster?.context) {
            checks.append(DoctorCheck("kube context", .failed, refusal.message, fix: refusal.hint))
            return checks
        }
        let why = KubeContextPolicy.looksLocal(context) ? "looks local" : "named in kubernetes.cluster.context"
        checks.append(DoctorCheck("kube context", .ok, "\(context.name) (server \(context.server); \(why))"))
        do {
            let output = try await KubectlSession(tool: kubectl, context: context.name).run(["version", "-o", "json", "--request-timeout", "10s"])
            if let version = KubernetesConnection.serverVersion(json: output.stdout) {
                checks.append(DoctorCheck("cluster connection", .ok, "\(context.server) answers: Kubernetes \(version)"))
            } else {
                checks.append(DoctorCheck("cluster connection", .failed, "\(context.server) does not answer: \(output.reason())",
                                          fix: "start the cluster, or check the server, certificate and credentials of context \(context.name) (`kubectl --context \(context.name) get nodes`)"))
            }
        } catch {
            checks.append(DoctorCheck("cluster connection", .failed, error.message, fix: error.hint))
        }
        return checks
    }

    static func clientVersion(_ json: String) -> String? {
        struct Document: Decodable {
            struct Version: Decodable { var gitVersion: String? }
            var clientVersion: Version?
        }
        return (try? JSONDecoder().decode(Document.self, from: Data(json.utf8)))?.clientVersion?.gitVersion
    }
}
