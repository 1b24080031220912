import WBuildSystem

extension ControlChannel {
    /// Applies `operations` in the container through the supervisor, in the order given, as one
    /// pipelined stream (`PUT`, `MKDIR`, `LINK`, `DEL` requests, each with its body, then `END`),
    /// and waits for END's single reply: `OK`, or the first failure, which is thrown (the
    /// operations after it were still applied). Paths and link targets the dialect cannot carry
    /// are refused before anything is sent. Returns the bytes of file contents and link targets sent.
    mutating func apply(_ operations: [SyncOperation]) throws(LiveUpdateError) -> Int {
        for operation in operations {
            try Self.check(operation)
        }
        var buffer: [UInt8] = []
        var sent = 0
        for operation in operations {
            switch operation {
            case .writeFile(let path, let bytes, let mode):
                buffer += Array("PUT \(String(mode & 0o7777, radix: 8)) \(bytes.count) \(path)\n".utf8)
                buffer += bytes
                sent += bytes.count
            case .makeDirectory(let path, let mode):
                buffer += Array("MKDIR \(String(mode & 0o7777, radix: 8)) \(path)\n".utf8)
            case .makeSymlink(let path, let target):
                let bytes = Array(target.utf8)
                buffer += Array("LINK \(bytes.count) \(path)\n".utf8)
                buffer += bytes
                sent += bytes.count
            case .remove(let path):
                buffer += Array("DEL \(path)\n".utf8)
            }
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
            throw Self.failure(error, doing: "apply \(operations.count) changes", code: .syncFailed, endpoint: endpoint)
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
        } catch {
            throw Self.failure(error, doing: "restart the process", code: .supervisorFailed, endpoint: endpoint)
        }
    }

    /// The process id of the workload's process (0 when it is not running).
    mutating func processID() throws(LiveUpdateError) -> Int {
        do {
            try send(Array("PID\n".utf8))
            return Int(try readReply()) ?? 0
        } catch {
            throw Self.failure(error, doing: "report the process id", code: .supervisorFailed, endpoint: endpoint)
        }
    }

    /// Sends a piece of the stream. When the supervisor closed the connection (it does on a
    /// request it could not parse), its last line says why.
    private mutating func sendOrFail(_ bytes: [UInt8]) throws(LiveUpdateError) {
        do {
            try send(bytes)
        } catch {
            var reason: String?
            do {
                _ = try readReply()
            } catch {
                if case .refused(let why) = error { reason = why }
            }
            if let reason {
                throw LiveUpdateError(.syncFailed, "the supervisor at \(endpoint) closed the channel: \(reason)")
            }
            throw LiveUpdateError(.syncFailed, "cannot send files to the supervisor at \(endpoint)", cause: error)
        }
    }

    /// Refuses what the dialect cannot carry (`wbuild-control.h`): the supervisor would close the
    /// channel on it, so it is caught here with a clearer message.
    static func check(_ operation: SyncOperation) throws(LiveUpdateError) {
        let path = operation.containerPath
        if let why = Self.problem(withPath: path) {
            throw LiveUpdateError(.syncFailed, "the container path \"\(Self.printable(path))\" cannot be synced: \(why)",
                                  hint: "sync rules' `to` must be absolute paths; file names with a newline or NUL cannot be synced")
        }
        if case .makeSymlink(_, let target) = operation {
            let bytes = Array(target.utf8)
            guard !bytes.isEmpty, bytes.count <= 4095, !bytes.contains(0) else {
                throw LiveUpdateError(.syncFailed, "the symbolic link \(Self.printable(path)) cannot be synced: its target is empty, longer than 4095 bytes or holds a NUL")
            }
        }
    }

    /// Why `path` is not a path the supervisor accepts, or nil: absolute, at most 4095 bytes, no
    /// newline or NUL (nor a carriage return at its end), no empty, `.` or `..` component, no
    /// component over 255 bytes, not `/` itself.
    static func problem(withPath path: String) -> String? {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return "not absolute" }
        guard bytes.count <= 4095 else { return "longer than 4095 bytes" }
        guard !bytes.contains(UInt8(ascii: "\n")), !bytes.contains(0) else { return "it contains a newline or NUL" }
        guard bytes.last != UInt8(ascii: "\r") else { return "it ends in a carriage return" }
        guard bytes.count > 1 else { return "it is / itself" }
        for component in bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if component.isEmpty { return "it has an empty component (// or a trailing /)" }
            if component.count > 255 { return "a component is longer than 255 bytes" }
            if component.elementsEqual([UInt8(ascii: ".")]) || component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                return "it has a . or .. component"
            }
        }
        return nil
    }

    private static func printable(_ path: String) -> String {
        String(path.unicodeScalars.flatMap { scalar -> [Character] in
            switch scalar {
            case "\n": ["\\", "n"]
            case "\u{0}": ["\\", "0"]
            default: [Character(scalar)]
            }
        })
    }

    private static func failure(_ error: ControlReplyError, doing what: String, code: LiveUpdateError.Code,
                                endpoint: ControlEndpoint) -> LiveUpdateError {
        switch error {
        case .refused(let message):
            return LiveUpdateError(code, "the supervisor could not \(what): \(message)")
        case .transport(let cause), .unreachable(let cause):
            return LiveUpdateError(.supervisorFailed, "lost the supervisor at \(endpoint) while asking it to \(what)", cause: cause)
        }
    }
}
