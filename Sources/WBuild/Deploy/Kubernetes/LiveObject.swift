import Foundation
import WBuildRender

/// An object of the project as the cluster has it (`kubectl get … -l dev.wbuild.project=P -o
/// json`): what it is, where, its `resourceVersion` and the `dev.wbuild.fingerprint` deploy
/// stamped on it.
public struct LiveObject: Sendable, Equatable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var namespace: String?
    public var resourceVersion: String
    public var fingerprint: String?

    public init(apiVersion: String, kind: String, name: String, namespace: String?, resourceVersion: String, fingerprint: String?) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.resourceVersion = resourceVersion
        self.fingerprint = fingerprint
    }

    /// `Deployment shop/api`, `Namespace shop`.
    public var displayName: String { "\(kind) " + (namespace.map { "\($0)/" } ?? "") + name }

    private struct List: Decodable {
        struct Item: Decodable {
            struct Metadata: Decodable {
                var name: String
                var namespace: String?
                var resourceVersion: String?
                var annotations: [String: String]?
            }
            var apiVersion: String?
            var kind: String?
            var metadata: Metadata
        }
        var items: [Item]?
    }

    /// The items of a `kubectl get -o json` List (or of one object); nil when it is neither.
    public static func parse(json: String) -> [LiveObject]? {
        let data = Data(json.utf8)
        let items: [List.Item]
        if let list = try? JSONDecoder().decode(List.self, from: data), let listed = list.items {
            items = listed
        } else if let single = try? JSONDecoder().decode(List.Item.self, from: data) {
            items = [single]
        } else {
            return nil
        }
        return items.map { item in
            LiveObject(apiVersion: item.apiVersion ?? "", kind: item.kind ?? "", name: item.metadata.name,
                       namespace: item.metadata.namespace, resourceVersion: item.metadata.resourceVersion ?? "",
                       fingerprint: item.metadata.annotations?[KubernetesRenderer.fingerprintAnnotation])
        }
    }
}
