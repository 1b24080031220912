import Foundation

/// The one-node Kubernetes 1.20.2 of `scripts/k8s-test-cluster.sh` (read it for the layout):
/// etcd, the control plane, a kubelet and kube-proxy in network namespace `wbk8s-NAME`, whose
/// container runtime is a private dockerd. Its kubeconfig (context `wbuild-test`) works from
/// here, and so does that dockerd's socket: a `wbuild` run with `DOCKER_HOST` set to it builds
/// straight into the node, so no registry is needed.
///
/// Meant to be shared by one suite: started once before its tests and `stop()`ped after them
/// (the end-to-end tests' `.kubernetesTestCluster` trait). Each test deploys a project of its
/// own name, which is also its namespace, so they share the cluster but no objects.
///
/// `init` first runs the script's `build`, a no-op when `/var/cache/wbuild-k8s` holds the
/// binaries, about 8 minutes on 2 cores when it does not; when that fails, `init` throws with
/// the script's output, and the suite fails with it.
public final class KubernetesTestCluster: Sendable {
    public static var script: String { WBuildBinary.packageRoot + "/scripts/k8s-test-cluster.sh" }
    /// The kubectl and helm `scripts/setup.sh` installs (kubectl 1.30 speaks to 1.20 fine for
    /// what deploy and the tests ask).
    public static let kubectlPath = "/opt/wbuild-tools/bin/kubectl"
    public static let helmPath = "/opt/wbuild-tools/bin/helm"
    /// The kubeconfig context the script writes.
    public static let context = "wbuild-test"

    public let name: String
    /// The kubeconfig, reachable from the root namespace.
    public let kubeconfig: String
    /// `unix://…` of the node's dockerd.
    public let dockerHost: String

    /// Builds (when not cached) and starts the cluster, waiting until its node is Ready.
    public init(name: String = "e2e") throws {
        self.name = name
        let built = PrivateEngine.run(["/bin/bash", Self.script, "build"])
        guard built.status == 0 else {
            throw PrivateEngine.EngineError("`k8s-test-cluster.sh build` failed with status \(built.status) (it needs root, gcc and Debian's archive; see docs/ARCHITECTURE.md, \"The test Kubernetes cluster\")",
                                            log: String(built.output.suffix(3000)))
        }
        let started = PrivateEngine.run(["/bin/bash", Self.script, "start", name])
        guard started.status == 0 else {
            throw PrivateEngine.EngineError("`k8s-test-cluster.sh start \(name)` failed with status \(started.status)", log: String(started.output.suffix(3000)))
        }
        var values: [String: String] = [:]
        for line in started.output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("[") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let kubeconfig = values["KUBECONFIG"], let dockerHost = values["DOCKER_HOST"] else {
            throw PrivateEngine.EngineError("`k8s-test-cluster.sh start \(name)` printed no KUBECONFIG and DOCKER_HOST", log: started.output)
        }
        self.kubeconfig = kubeconfig
        self.dockerHost = dockerHost
    }

    /// Stops every component and removes what the cluster made.
    public func stop() {
        _ = PrivateEngine.run(["/bin/bash", Self.script, "stop", name])
    }

    /// What a `wbuild` run against this cluster needs in its environment.
    public var environment: [String: String] { ["KUBECONFIG": kubeconfig, "DOCKER_HOST": dockerHost] }

    /// `kubectl --context wbuild-test ARGS`: status and stdout + stderr.
    @discardableResult
    public func kubectl(_ arguments: [String]) -> (status: Int32, output: String) {
        PrivateEngine.run([Self.kubectlPath, "--context", Self.context] + arguments, environment: ["KUBECONFIG": kubeconfig])
    }

    /// `helm --kube-context wbuild-test ARGS`.
    @discardableResult
    public func helm(_ arguments: [String]) -> (status: Int32, output: String) {
        PrivateEngine.run([Self.helmPath, "--kube-context", Self.context] + arguments, environment: ["KUBECONFIG": kubeconfig])
    }

    /// `kubectl get ARGS -o json`, parsed; nil when it failed.
    public func json(_ arguments: [String]) -> [String: Any]? {
        let result = PrivateEngine.run([Self.kubectlPath, "--context", Self.context, "get"] + arguments + ["-o", "json"],
                                       environment: ["KUBECONFIG": kubeconfig])
        guard result.status == 0 else { return nil }
        // Warnings (version skew) may follow the JSON on the shared output.
        let text = result.output.range(of: "\n}").map { String(result.output[..<$0.upperBound]) } ?? result.output
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// A hostPath PersistentVolume bound in advance to claim `claim` of `namespace` (the cluster
    /// has no storage provisioner), named `<namespace>-<claim>`.
    public func provideVolume(namespace: String, claim: String) throws {
        let manifest = """
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"\(namespace)-\(claim)","labels":{"wbuild-test":"\(namespace)"}},
         "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/wbuild-k8s-pv-\(namespace)-\(claim)"},
                 "claimRef":{"namespace":"\(namespace)","name":"\(claim)"}}}
        """
        let file = NSTemporaryDirectory() + "/wbuild-pv-\(UUID().uuidString).json"
        try manifest.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let result = kubectl(["apply", "-f", file])
        guard result.status == 0 else { throw PrivateEngine.EngineError("creating the volume for \(namespace)/\(claim) failed", log: result.output) }
    }

    /// Removes the volumes `provideVolume` made for `namespace`, and their folders.
    public func removeVolumes(namespace: String) {
        kubectl(["delete", "persistentvolumes", "-l", "wbuild-test=\(namespace)", "--wait=false"])
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for folder in folders where folder.hasPrefix("wbuild-k8s-pv-\(namespace)-") { try? FileManager.default.removeItem(atPath: "/tmp/" + folder) }
    }

    /// Runs `kubectl port-forward -n NAMESPACE TARGET :PORT`, fetches `path` through it with
    /// curl, stops it; the body, or nil with what went wrong.
    public func fetchThroughPortForward(namespace: String, target: String, port: Int, path: String = "/") -> (body: String?, log: String) {
        let log = NSTemporaryDirectory() + "/wbuild-pf-\(UUID().uuidString).log"
        defer { unlink(log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kubectlPath)
        process.arguments = ["--context", Self.context, "port-forward", "-n", namespace, target, ":\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["KUBECONFIG": kubeconfig]) { $1 }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: log) else { return (nil, "cannot write \(log)") }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (nil, "cannot run kubectl port-forward: \(error)") }
        defer {
            process.terminate()
            process.waitUntilExit()
            try? handle.close()
        }
        let deadline = ContinuousClock.now + .seconds(20)
        var localPort: Int?
        while localPort == nil, ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "Forwarding from 127.0.0.1:") {
                localPort = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else {
                usleep(50_000)
            }
        }
        guard let localPort else { return (nil, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "") }
        let fetched = PrivateEngine.run(["/usr/bin/curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(localPort)\(path)"])
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return (fetched.status == 0 ? fetched.output : nil, text + fetched.output)
    }
}
