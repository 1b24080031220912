/// Turns a project into the files of one target. Pure and deterministic: no clock, no
/// environment, no file system; the same input gives the same bytes.
public protocol Renderer: Sendable {
    var target: RenderTarget { get }

    /// The files, or every problem that stops them, each at its key path.
    func render(_ input: RenderInput) throws(RenderError) -> Rendering
}
