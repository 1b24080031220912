extension ControlChannel {
    /// The supervisor's name in its greeting.
    static let supervisorProgram = "wbuild-init"

    /// Connects to the supervisor at `endpoint` and authenticates, runs `body` with the channel,
    /// and closes it whatever happens. Throws `.supervisorUnreachable` when no connection can be
    /// made (or it breaks before the greeting), `.supervisorFailed` when the supervisor refuses
    /// the secret or something else answers.
    static func withConnection<T>(to endpoint: ControlEndpoint,
                                  _ body: (inout ControlChannel) throws(LiveUpdateError) -> T) throws(LiveUpdateError) -> T {
        var channel: ControlChannel
        do {
            channel = try ControlChannel(connectingTo: endpoint, program: supervisorProgram)
        } catch {
            switch error {
            case .unreachable(let cause), .transport(let cause):
                throw LiveUpdateError(.supervisorUnreachable, "cannot connect to the supervisor at \(endpoint)", cause: cause)
            case .refused(let message):
                throw LiveUpdateError(.supervisorFailed, "the supervisor at \(endpoint) refused wbuild: \(message)",
                                      hint: "the container's /.wbuild/secret is not the one wbuild wrote: recreate the container")
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
