import WBuildCore

/// The statically linked router `wbuild-router`, built from `Router/wbuild-router.c` by the
/// `SupervisorBuilder` plugin and shipped as a resource of this module. It runs as PID 1 of the
/// project's router container: an HTTP/1.1 reverse proxy that routes each request by host and
/// path to a ready replica wbuild names on its control port: see the C file's header for its
/// command line and control protocol.
public enum RouterBinary {
    /// The port the router serves its control protocol on (`--control`).
    public static let defaultControlPort = 47013
    /// The port the router takes requests on inside its container (`--listen`).
    public static let defaultListenPort = 8000

    /// The router's name in its greeting (`OK wbuild-router 2`).
    static let program = "wbuild-router"

    /// Overrides where the binary is found (for an installed wbuild whose resources moved).
    public static let pathVariable = "WBUILD_ROUTER"

    /// Where the binary is found.
    public static let resource = ResourceBinary(name: "wbuild-router", pathVariable: pathVariable)

    /// The path of the built binary on the host: `$WBUILD_ROUTER`, else the module's resource
    /// bundle beside the running executable (`wbuild_WBuildWorkloads.resources/wbuild-router`).
    public static func hostPath() throws(ResourceBinary.Failure) -> String {
        try resource.hostPath()
    }

    /// The binary's bytes, found and read once, on a thread of its own.
    public static func contents() async throws(NodeFailure) -> [UInt8] {
        do {
            return try await resource.contents()
        } catch {
            switch error {
            case .missing(let candidates):
                throw NodeFailure("the router wbuild-router is not at \(candidates.joined(separator: " or "))", hint: resource.hint)
            case .unreadable(let path, let cause):
                throw NodeFailure("cannot read the router at \(path): \(cause)")
            }
        }
    }
}
