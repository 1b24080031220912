extension ControlChannel {
    /// Sends one request line on a fresh authenticated channel to `program` at `endpoint`, closes
    /// the channel, and returns the text after the reply's `OK` (or throws with the text after
    /// `ERR`). Blocks: call it from `BlockingWork.run`.
    static func command(_ line: String, to endpoint: ControlEndpoint, program: String, timeoutMs: Int32 = 1000,
                        replyTimeoutSeconds: Int) throws(ControlReplyError) -> String {
        var channel = try ControlChannel(connectingTo: endpoint, program: program, timeoutMs: timeoutMs,
                                         replyTimeoutSeconds: replyTimeoutSeconds)
        let reply: Result<String, ControlReplyError>
        do throws(ControlReplyError) {
            try channel.send(Array((line + "\n").utf8))
            reply = .success(try channel.readReply())
        } catch {
            reply = .failure(error)
        }
        channel.close()
        return try reply.get()
    }
}
