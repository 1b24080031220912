import Testing
import WBuildRender
import WBuildSpec
@testable import WBuild

/// The fingerprint diff: create what the cluster lacks, update what differs, leave what
/// matches, prune what the project's label finds but no longer renders.
struct KubernetesPlanTests {
    static func object(_ kind: String, _ name: String, _ fingerprint: String, namespace: String? = "shop") -> RenderedObject {
        RenderedObject(apiVersion: "v1", kind: kind, name: name, namespace: namespace, file: "\(name)-\(kind.lowercased()).yaml",
                       fingerprint: fingerprint)
    }

    static func live(_ kind: String, _ name: String, _ fingerprint: String?, namespace: String? = "shop") -> LiveObject {
        LiveObject(apiVersion: "v1", kind: kind, name: name, namespace: namespace, resourceVersion: "7", fingerprint: fingerprint)
    }

    @Test func eachObjectIsCreatedUpdatedLeftOrPrunedByItsFingerprint() {
        let desired = [Self.object("Namespace", "shop", "n1", namespace: nil), Self.object("ConfigMap", "api-env-new", "c2"),
                       Self.object("Deployment", "api", "d2"), Self.object("Service", "api", "s1")]
        let live = [Self.live("Namespace", "shop", "n1", namespace: nil), Self.live("ConfigMap", "api-env-old", "c1"),
                    Self.live("Deployment", "api", "d1"), Self.live("Service", "api", "s1"), Self.live("Namespace", "old", "x", namespace: nil),
                    Self.live("Service", "gone", nil)]
        let changes = KubernetesPlan.changes(desired: desired, live: live)
        #expect(changes.map(\.verb) == ["unchanged", "create", "update", "unchanged", "prune", "prune", "prune"])
        #expect(changes.map(\.displayName) == ["Namespace shop", "ConfigMap shop/api-env-new", "Deployment shop/api", "Service shop/api",
                                               "ConfigMap shop/api-env-old", "Service shop/gone", "Namespace old"])
    }

    @Test func theSameNameOfAnotherKindOrNamespaceIsAnotherObject() {
        let desired = [Self.object("Service", "api", "s1"), Self.object("Deployment", "api", "d1", namespace: "prod")]
        let live = [Self.live("Deployment", "api", "d1"), Self.live("Service", "api", "s1", namespace: "prod")]
        let changes = KubernetesPlan.changes(desired: desired, live: live)
        #expect(changes.map(\.verb) == ["create", "create", "prune", "prune"])
    }

    @Test func nothingLiveMeansCreateEverythingAndNothingRenderedMeansPruneEverything() {
        let desired = [Self.object("Namespace", "shop", "n1", namespace: nil), Self.object("Deployment", "api", "d1")]
        #expect(KubernetesPlan.changes(desired: desired, live: []).map(\.verb) == ["create", "create"])
        let live = desired.map { Self.live($0.kind, $0.name, $0.fingerprint, namespace: $0.namespace) }
        #expect(KubernetesPlan.changes(desired: desired, live: live).allSatisfy { $0.verb == "unchanged" })
        #expect(KubernetesPlan.changes(desired: [], live: live).map(\.displayName) == ["Deployment shop/api", "Namespace shop"])
    }

    @Test func liveObjectsAreReadFromKubectlGetJSON() throws {
        let json = """
        {"apiVersion":"v1","kind":"List","items":[
          {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","resourceVersion":"10",
            "annotations":{"dev.wbuild.fingerprint":"aaaa"},"labels":{"dev.wbuild.project":"shop"}}},
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"api","namespace":"shop","resourceVersion":"42",
            "annotations":{"deployment.kubernetes.io/revision":"2","dev.wbuild.fingerprint":"bbbb"}},"spec":{"replicas":1}},
          {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"hand-made","namespace":"shop","resourceVersion":"5"}}
        ],"metadata":{"resourceVersion":""}}
        """
        let objects = try #require(LiveObject.parse(json: json))
        #expect(objects == [
            LiveObject(apiVersion: "v1", kind: "Namespace", name: "shop", namespace: nil, resourceVersion: "10", fingerprint: "aaaa"),
            LiveObject(apiVersion: "apps/v1", kind: "Deployment", name: "api", namespace: "shop", resourceVersion: "42", fingerprint: "bbbb"),
            LiveObject(apiVersion: "v1", kind: "ConfigMap", name: "hand-made", namespace: "shop", resourceVersion: "5", fingerprint: nil),
        ])
        #expect(LiveObject.parse(json: "error: the server doesn't have a resource type") == nil)
    }

    @Test func theRenderedShopPlansAsCreatedThenUnchangedAndAChangedEnvRollsAndPrunes() throws {
        let text = """
        { name: "shop", workloads: { api: { image: "wbuild-samples/busybox:1", env: { MODE: "a" }, ports: [{ container: 8080 }] } } }
        """
        let spec = try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json")
        let first = try KubernetesRenderer().render(RenderInput(spec: spec, images: [:]))
        #expect(first.objects.map(\.kind) == ["Namespace", "ConfigMap", "Deployment", "Service"])
        #expect(first.objects.allSatisfy { $0.fingerprint.count == 16 })
        for object in first.objects {
            let file = try #require(first.files.first { $0.path == object.file })
            // Quoted when it could read as a number (`517e…`).
            #expect(file.contents.contains("dev.wbuild.fingerprint: \(object.fingerprint)\n")
                || file.contents.contains("dev.wbuild.fingerprint: \"\(object.fingerprint)\"\n"), "\(file.contents)")
        }
        #expect(KubernetesPlan.changes(desired: first.objects, live: []).allSatisfy { $0.verb == "create" })
        let live = first.objects.map { LiveObject(apiVersion: $0.apiVersion, kind: $0.kind, name: $0.name, namespace: $0.namespace,
                                                   resourceVersion: "1", fingerprint: $0.fingerprint) }
        let again = try KubernetesRenderer().render(RenderInput(spec: spec, images: [:]))
        #expect(KubernetesPlan.changes(desired: again.objects, live: live).allSatisfy { $0.verb == "unchanged" })

        let changed = try ProjectLoader.parse(Array(text.replacingOccurrences(of: "MODE: \"a\"", with: "MODE: \"b\"").utf8), fileName: "wbuild.json")
        let second = try KubernetesRenderer().render(RenderInput(spec: changed, images: [:]))
        let plan = KubernetesPlan.changes(desired: second.objects, live: live)
        #expect(plan.map(\.verb) == ["unchanged", "create", "update", "unchanged", "prune"], "\(plan.map(\.displayName))")
        #expect(plan.last?.kind == "ConfigMap")
    }
}
