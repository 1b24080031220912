extension ControlChannel {
    /// The supervisor's name in its greeting.
    static let supervisorProgram = "wbuild-init"
    /// What a helper answers a connection that did not prove it holds the secret.
    static let notAuthenticated = "not authenticated"

    /// Connects to the supervisor at `endpoint` and authenticates, runs `body` with the channel,
    /// and closes it whatever happens. Throws `.supervisorUnreachable` when no connection can be
    /// made, it breaks before the greeting or the supervisor refuses the secret (callers then use
    /// the engine), `.supervisorFailed` when something else answers.
    static func withConnection<T>(to endpoint: ControlEndpoint,
                                  _ body: (inout ControlChannel) throws(LiveUpdateError) -> T) throws(LiveUpdateError) -> T {
        var channel: ControlChannel
        do {
            channel = try ControlChannel(connectingTo: endpoint, program: supervisorProgram)
        } catch {
            switch error {
            case .unreachable(let cause), .transport(let cause):
                throw LiveUpdateError(.supervisorUnreachable, "cannot connect to the supervisor at \(endpoint)", cause: cause)
            case .refused(let message) where message == notAuthenticated:
                // Unusable like an unreachable one: the engine carries the sync instead.
                throw LiveUpdateError(.supervisorUnreachable, "the supervisor at \(endpoint) refused wbuild's secret",
                                      hint: "the supervisor could not read /.wbuild/secret (it needs to start as root: "
                                          + "is the image's USER another user?) or holds another one; see the container's log")
            case .refused(let message):
                throw LiveUpdateError(.supervisorFailed, "the supervisor at \(endpoint) refused wbuild: \(message)",
                                      hint: "something other than wbuild's supervisor answers on that port")
            }
        }
        let result: Result<T, LiveUpdateError>
        do throws(LiveUpdateError) {
            result = .success(try body(&channel))
        } catch {
            result = .failure(error)
        }
        channel.close()
        return try result.get()
    }
}
