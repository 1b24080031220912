// TEMPORARY (wt-sync): stands in for `ControlChannel.apply(_:)`, which the wt-channel branch
// writes with the supervisor's framed MKDIR/LINK/PUT/DEL commands. Deleted when that branch is
// merged; it speaks today's line protocol (PUT, DEL), so directories and links fail here.
extension ControlChannel {
    /// Sends `operations` in one stream and waits for the single reply; returns the file bytes sent.
    mutating func apply(_ operations: [SyncOperation]) throws(LiveUpdateError) -> Int {
        var buffer: [UInt8] = []
        var sent = 0
        for operation in operations {
            switch operation {
            case .writeFile(let path, let bytes, let mode):
                buffer += Array("PUT \(String(mode, radix: 8)) \(bytes.count) \(path)\n".utf8) + bytes
                sent += bytes.count
            case .remove(let path):
                buffer += Array("DEL \(path)\n".utf8)
            case .makeDirectory, .makeSymlink:
                throw LiveUpdateError(.syncFailed, "this supervisor cannot create \(operation.containerPath) (no MKDIR/LINK yet)")
            }
        }
        buffer += Array("END\n".utf8)
        do {
            try send(buffer)
            _ = try readReply()
        } catch {
            throw LiveUpdateError(.syncFailed, "the supervisor at \(endpoint) could not sync", cause: error)
        }
        return sent
    }
}
