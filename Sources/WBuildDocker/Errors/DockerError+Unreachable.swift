import WBuildSystem

extension DockerError {
    /// The engine could not be reached at `host`: says which socket or address, why, and how to fix it.
    static func engineUnreachable(_ host: DockerHost, operation: String, errno: Errno) -> DockerError {
        let why: String
        var steps: [String] = []
        switch errno {
        case .noSuchFile:
            why = "the socket \(host.address) does not exist (is the Docker engine installed and running?)"
        case .connectionRefused:
            why = "nothing is listening on \(host.address) (the Docker engine is not running)"
        case .permissionDenied, Errno(rawValue: 1):  // EACCES, EPERM
            why = "permission denied on \(host.address)"
            steps.append("check the socket's permissions: add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again) or run as root")
        default:
            why = "\(operation) to \(host.address) failed: \(errno)"
        }
        steps += [
            "install the engine with `sudo apt-get install docker.io`",
            "start it with `sudo dockerd` (or `sudo systemctl start docker`)",
        ]
        if !steps.contains(where: { $0.hasPrefix("check the socket") }) {
            steps.append("check the socket's permissions (the docker group)")
        }
        steps.append("or set DOCKER_HOST to the engine's address (unix:///path/to/docker.sock or tcp://host:port)")
        return DockerError(.engineUnreachable, endpoint: host.description,
                           message: "cannot reach the Docker engine: \(why)",
                           hint: steps.joined(separator: "; "))
    }

    /// An HTTP error answer (status ≥ 400) from the daemon, with its `{"message":…}` when present.
    static func fromResponse(method: String, endpoint: String, status: Int, body: [UInt8]) -> DockerError {
        let message = DaemonMessage.extract(from: body)
        let kind: Kind = status == 404 ? .notFound : .httpError
        return DockerError(kind, method: method, endpoint: endpoint, status: status, message: message,
                           hint: hint(status: status, message: message))
    }

    private static func hint(status: Int, message: String) -> String? {
        let lower = message.lowercased()
        if lower.contains("is too new") || lower.contains("too old") {
            return "the client and engine API versions disagree; upgrade the engine (docker.io) or report this"
        }
        switch status {
        case 404 where lower.contains("no such image"):
            return "build the image first, or pull it from a reachable registry"
        case 409 where lower.contains("already in use"):
            return "remove the old container first (or pick another name)"
        case 409 where lower.contains("running"):
            return "stop the container first, or remove it with force"
        default:
            return nil
        }
    }
}

/// Reads the daemon's `{"message": "…"}` error body, or the plain text it sometimes sends instead.
enum DaemonMessage {
    static func extract(from body: [UInt8]) -> String {
        struct Payload: Decodable { var message: String }
        if let payload = try? JSONCoding.decode(Payload.self, from: body) {
            return payload.message
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(no message)" : text
    }
}
