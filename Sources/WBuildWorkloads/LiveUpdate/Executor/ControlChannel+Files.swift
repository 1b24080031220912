import WBuildSystem

extension ControlChannel {
    /// Writes `copies` and removes `deletions` in the container through the supervisor, in one
    /// pipelined stream (`DEL` lines first, then `PUT` headers and bytes, then `END`), and waits
    /// for its single reply. A file gone from the host since planning is deleted instead.
    /// Returns the bytes of file contents sent.
    mutating func sync(copies: [FileCopy], deletions: [FileDeletion]) throws(LiveUpdateError) -> Int {
        var buffer: [UInt8] = []
        var sent = 0
        for deletion in deletions {
            try Self.checkPath(deletion.containerPath)
            buffer += Array("DEL \(deletion.containerPath)\n".utf8)
        }
        for copy in copies {
            try Self.checkPath(copy.containerPath)
            let file: HostFile?
            do {
                file = try HostFile.read(copy.hostPath)
            } catch {
                throw LiveUpdateError(.syncFailed, "cannot read \(copy.hostPath)", cause: error)
            }
            guard let file else {
                buffer += Array("DEL \(copy.containerPath)\n".utf8)
                continue
            }
            buffer += Array("PUT \(String(file.mode, radix: 8)) \(file.bytes.count) \(copy.containerPath)\n".utf8)
            buffer += file.bytes
            sent += file.bytes.count
            if buffer.count >= 1 << 20 {
                try sendOrFail(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer += Array("END\n".utf8)
        try sendOrFail(buffer)
        do {
            _ = try readReply()
        } catch {
            throw Self.failure(error, doing: "sync files", code: .syncFailed, endpoint: endpoint)
        }
        return sent
    }

    /// Asks the supervisor to restart the workload's process; returns the new process id once it
    /// has started.
    mutating func restartProcess() throws(LiveUpdateError) -> Int {
        do {
            try send(Array("RESTART\n".utf8))
            let reply = try readReply()
            return Int(reply) ?? 0
        } catch let error as ControlReplyError {
            throw Self.failure(error, doing: "restart the process", code: .supervisorFailed, endpoint: endpoint)
        } catch {
            throw LiveUpdateError(.supervisorFailed, "cannot ask the supervisor at \(endpoint) to restart the process",
                                  cause: error)
        }
    }

    /// The process id of the workload's process (0 when it is not running).
    mutating func processID() throws(LiveUpdateError) -> Int {
        do {
            try send(Array("PID\n".utf8))
            return Int(try readReply()) ?? 0
        } catch let error as ControlReplyError {
            throw Self.failure(error, doing: "report the process id", code: .supervisorFailed, endpoint: endpoint)
        } catch {
            throw LiveUpdateError(.supervisorFailed, "cannot reach the supervisor at \(endpoint)", cause: error)
        }
    }

    private func sendOrFail(_ bytes: [UInt8]) throws(LiveUpdateError) {
        do {
            try send(bytes)
        } catch {
            throw LiveUpdateError(.syncFailed, "cannot send files to the supervisor at \(endpoint)", cause: error)
        }
    }

    /// The protocol is line-based: a path with a newline cannot travel over it.
    private static func checkPath(_ path: String) throws(LiveUpdateError) {
        guard !path.utf8.contains(UInt8(ascii: "\n")), path.hasPrefix("/") else {
            throw LiveUpdateError(.syncFailed, "the container path \"\(path)\" is not absolute or contains a newline",
                                  hint: "sync rules' `to` must be absolute paths")
        }
    }

    private static func failure(_ error: ControlReplyError, doing what: String, code: LiveUpdateError.Code,
                                endpoint: ControlEndpoint) -> LiveUpdateError {
        switch error {
        case .refused(let message):
            return LiveUpdateError(code, "the supervisor could not \(what): \(message)")
        case .transport(let cause):
            return LiveUpdateError(.supervisorFailed, "lost the supervisor at \(endpoint) while asking it to \(what)", cause: cause)
        }
    }
}
