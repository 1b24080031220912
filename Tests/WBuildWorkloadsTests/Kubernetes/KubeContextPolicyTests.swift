import Testing
@testable import WBuild

/// Which kube contexts deploy may use without being told (Tilt's `allow_k8s_contexts`), and
/// what the refusal says.
struct KubeContextPolicyTests {
    static func context(_ name: String, _ server: String) -> KubeContext {
        KubeContext(name: name, cluster: name, server: server)
    }

    @Test(arguments: [
        ("kind-dev", "https://10.1.2.3:6443"), ("k3d-shop", "https://0.0.0.0:45000"), ("minikube", "https://192.168.49.2:8443"),
        ("docker-desktop", "https://kubernetes.docker.internal:6443"), ("rancher-desktop", "https://192.168.5.15:6443"),
        ("anything", "https://127.0.0.1:6443"), ("anything", "https://localhost:6443"), ("anything", "https://[::1]:6443"),
        ("anything", "https://127.8.9.1"),
    ])
    func localLookingContextsAreAllowed(name: String, server: String) {
        let context = Self.context(name, server)
        #expect(KubeContextPolicy.looksLocal(context), "\(name) \(server)")
        #expect(KubeContextPolicy.refusal(context, allowed: nil) == nil)
    }

    @Test(arguments: [
        ("prod", "https://10.252.1.2:6443"), ("gke_project_europe-west1_main", "https://34.76.1.2"),
        ("arn:aws:eks:eu-west-1:1:cluster/main", "https://ABC.gr7.eu-west-1.eks.amazonaws.com"),
        ("kindly-prod", "https://k8s.example.com"), ("minikube-prod", "https://k8s.example.com"), ("wbuild-test", ""),
    ])
    func otherContextsAreRefusedWithTheWayToAllowThem(name: String, server: String) throws {
        let context = Self.context(name, server)
        #expect(!KubeContextPolicy.looksLocal(context), "\(name) \(server)")
        let refusal = try #require(KubeContextPolicy.refusal(context, allowed: nil))
        #expect(refusal.kind == .usage)
        #expect(refusal.message.contains("`\(name)`"), "\(refusal.message)")
        #expect(refusal.hint?.contains("kubernetes: { cluster: { context: \"\(name)\" } }") == true, "\(refusal.hint ?? "")")
    }

    @Test func theContextTheProjectNamesIsAllowedAndNoOther() throws {
        let named = Self.context("wbuild-test", "https://10.252.140.2:6443")
        #expect(KubeContextPolicy.refusal(named, allowed: "wbuild-test") == nil)
        let other = Self.context("prod", "https://10.0.0.1:6443")
        let refusal = try #require(KubeContextPolicy.refusal(other, allowed: "wbuild-test"))
        #expect(refusal.message.contains("the project allows only context `wbuild-test`"), "\(refusal.message)")
    }

    @Test func theKubeconfigViewGivesEachContextItsServer() throws {
        let json = """
        {"kind":"Config","apiVersion":"v1","clusters":[{"name":"c1","cluster":{"server":"https://10.252.140.2:6443","certificate-authority":"/x"}},
         {"name":"c2","cluster":{"server":"https://127.0.0.1:41000"}}],
         "contexts":[{"name":"wbuild-test","context":{"cluster":"c1","user":"u"}},{"name":"kind-a","context":{"cluster":"c2","user":"u"}},
         {"name":"orphan","context":{"cluster":"missing"}}],
         "current-context":"wbuild-test","users":[{"name":"u","user":{"token":"REDACTED"}}]}
        """
        let view = try #require(KubeConfigView(json: json))
        #expect(view.currentContext == "wbuild-test")
        #expect(view.context(named: "wbuild-test") == KubeContext(name: "wbuild-test", cluster: "c1", server: "https://10.252.140.2:6443"))
        #expect(view.context(named: "kind-a")?.server == "https://127.0.0.1:41000")
        #expect(view.context(named: "orphan")?.server == "")
        #expect(KubeConfigView(json: "not json") == nil)
        #expect(KubeConfigView(json: #"{"contexts":[],"current-context":""}"#)?.currentContext == nil)
    }

    @Test func theServerVersionIsReadFromKubectlVersion() {
        let json = """
        {
          "clientVersion": {"major": "1", "minor": "30", "gitVersion": "v1.30.0"},
          "serverVersion": {"major": "1", "minor": "20", "gitVersion": "v1.20.2"}
        }
        WARNING: version difference between client (1.30) and server (1.20) exceeds the supported minor version skew of +/-1
        """
        #expect(KubernetesConnection.serverVersion(json: json) == KubernetesVersion(major: 1, minor: 20))
        let eks = #"{"serverVersion": {"major": "1", "minor": "29+", "gitVersion": "v1.29.4-eks-036c24b"}}"#
        #expect(KubernetesConnection.serverVersion(json: eks) == KubernetesVersion(major: 1, minor: 29))
        #expect(KubernetesConnection.serverVersion(json: #"{"clientVersion": {"gitVersion": "v1.30.0"}}"#) == nil)
    }
}
