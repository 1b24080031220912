extension ControlChannel {
    /// Connects to `endpoint`, runs `body` with the channel, and closes it whatever happens.
    /// Throws `.supervisorUnreachable` when the connection cannot be made.
    static func withConnection<T>(to endpoint: ControlEndpoint,
                                  _ body: (inout ControlChannel) throws(LiveUpdateError) -> T) throws(LiveUpdateError) -> T {
        var channel: ControlChannel
        do {
            channel = try ControlChannel(connectingTo: endpoint)
        } catch {
            throw LiveUpdateError(.supervisorUnreachable, "cannot connect to the supervisor at \(endpoint)", cause: error)
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
