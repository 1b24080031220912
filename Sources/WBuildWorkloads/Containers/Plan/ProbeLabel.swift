import Foundation
import WBuildSpec

/// A readiness probe written into a container label (`dev.wbuild.readiness`), so a wbuild
/// process that did not start the container (`wbuild status`) can still check it.
enum ProbeLabel {
    private struct Stored: Codable {
        var kind: String
        var port: Int?
        var path: String?
        var command: [String]?
        var timeoutMs: Int
    }

    static func encode(_ probe: ProbeSpec) -> String {
        var stored = Stored(kind: "", timeoutMs: probe.timeoutMs)
        switch probe.check {
        case .http(let path, let port): (stored.kind, stored.port, stored.path) = ("http", port, path)
        case .tcp(let port): (stored.kind, stored.port) = ("tcp", port)
        case .exec(let command): (stored.kind, stored.command) = ("exec", command)
        }
        guard let data = try? JSONEncoder().encode(stored) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> ProbeSpec? {
        guard let text, let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)) else { return nil }
        let check: ProbeCheck
        switch (stored.kind, stored.port, stored.path, stored.command) {
        case ("http", let port?, let path?, _): check = .http(path: path, port: port)
        case ("tcp", let port?, _, _): check = .tcp(port: port)
        case ("exec", _, _, let command?): check = .exec(command: command)
        default: return nil
        }
        return ProbeSpec(check: check, timeoutMs: stored.timeoutMs)
    }
}
