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

    public init(target: RenderTarget, files: [RenderedFile], warnings: [String] = []) {
        self.target = target
        self.files = files.sorted { $0.path < $1.path }
        self.warnings = warnings
    }
}
