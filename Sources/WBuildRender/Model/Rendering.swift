/// One file of a rendering, its path relative to the output folder (`/`-separated).
public struct RenderedFile: Sendable, Equatable {
    public var path: String
    public var contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// What a renderer produced: its files, sorted by path, and what the user should know about
/// them (a local image tag that only this engine has).
public struct Rendering: Sendable, Equatable {
    public var target: RenderTarget
    public var files: [RenderedFile]
    public var warnings: [String]
    /// The cluster objects the files hold, in the order they are written (`--target kubernetes`;
    /// empty for targets whose files are not one object each).
    public var objects: [RenderedObject]

    public init(target: RenderTarget, files: [RenderedFile], warnings: [String] = [], objects: [RenderedObject] = []) {
        self.target = target
        self.files = files.sorted { $0.path < $1.path }
        self.warnings = warnings
        self.objects = objects
    }
}

/// One rendered Kubernetes object as `deploy` needs to know it without reading YAML back: what
/// it is, where it goes, the file that holds it and its `dev.wbuild.fingerprint`.
public struct RenderedObject: Sendable, Equatable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    /// nil for a cluster-scoped object (the Namespace).
    public var namespace: String?
    /// The file's path in the rendering.
    public var file: String
    /// The content hash stamped on the object as the `dev.wbuild.fingerprint` annotation.
    public var fingerprint: String

    public init(apiVersion: String, kind: String, name: String, namespace: String?, file: String, fingerprint: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.file = file
        self.fingerprint = fingerprint
    }

    /// `Deployment shop/api`, `Namespace shop`.
    public var displayName: String { "\(kind) " + (namespace.map { "\($0)/" } ?? "") + name }
}
