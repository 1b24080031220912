/// One thing in the spec that a target cannot express, at its `wbuild.json` key path.
public struct RenderProblem: Sendable, Equatable, CustomStringConvertible {
    /// `workloads.api.volumes[0]`.
    public var keyPath: String
    public var message: String
    public var hint: String?

    public init(keyPath: String, _ message: String, hint: String? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "\(keyPath): \(message)" + (hint.map { " (\($0))" } ?? "")
    }
}

/// Why a rendering was refused: every problem found, not just the first.
public struct RenderError: Error, Sendable, Equatable, CustomStringConvertible {
    public var target: RenderTarget
    public var problems: [RenderProblem]

    public init(target: RenderTarget, problems: [RenderProblem]) {
        self.target = target
        self.problems = problems
    }

    public var description: String {
        "cannot render for \(target): " + problems.map(\.description).joined(separator: "; ")
    }
}
