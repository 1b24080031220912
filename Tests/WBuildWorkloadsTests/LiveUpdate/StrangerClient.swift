import Foundation
import Testing
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// A process on the machine that is not wbuild, trying a helper's control port: root without the
/// container's secret (this test process, over a raw socket), or uid 65534 (`nobody`, through
/// `setpriv` and bash's /dev/tcp), as another local user would.
enum StrangerClient {
    /// Who tries.
    enum Who: Sendable, CustomStringConvertible {
        case rootWithoutTheSecret
        case nobody

        var description: String { self == .nobody ? "uid 65534" : "root without the secret" }
    }

    /// Sends `request` on a fresh connection to `host`:`port` and returns everything the helper
    /// sent back before it closed the connection (bounded: 5 s without an end counts as the end).
    static func attempt(_ request: String, host: String, port: Int, as who: Who) async throws -> String {
        switch who {
        case .rootWithoutTheSecret:
            return try await BlockingWork.run(name: "test-stranger") { () throws -> String in
                let socket = try TestSocket.connect(port: port, host: host, timeout: 5)
                defer { socket.close() }
                try socket.send(request)
                return String(decoding: socket.readToEnd().bytes, as: UTF8.self)
            }
        case .nobody:
            return try await asNobody(["/bin/bash", "-c", "exec 3<>/dev/tcp/$0/$1 && printf %s \"$2\" >&3 && timeout 5 cat <&3",
                                       host, String(port), request]).output
        }
    }

    /// Runs `command` as uid and gid 65534 with no supplementary groups; its exit code and stdout.
    static func asNobody(_ command: [String]) async throws -> (exitCode: Int32?, output: String) {
        let child = try ChildProcess.spawn(ProcessLaunch(.argv(["/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534",
                                                                "--clear-groups"] + command)))
        let status = await child.wait()
        let output = child.tail.filter { $0.stream == .stdout }.map { $0.line + "\n" }.joined()
        if case .exited(let code) = status { return (code, output) }
        return (nil, output)
    }

    /// Requests a stranger might send first, each of which must get exactly one
    /// `ERR not authenticated` line and a closed connection. `secret` is the real one, of which
    /// the last attempt knows all but one character.
    static func supervisorAttempts(secret: String) -> [String] {
        let almost = String(secret.dropLast()) + (secret.last == "0" ? "1" : "0")
        return [
            "HELLO\n", "PID\n", "PUT 644 4 /srv/app/evil\nevil", "MKDIR 755 /srv/app/evil-dir\n", "DEL /srv/app/keep\n",
            "RESTART\n", "AUTH \(String(repeating: "0", count: 64))\nDEL /srv/app/keep\nEND\n", "AUTH\nPID\n",
            "AUTH \(almost)\nRESTART\n", "auth \(secret.uppercased())\nPID\n",
        ]
    }

    static func doorAttempts(secret: String) -> [String] {
        let almost = String(secret.dropLast()) + (secret.last == "0" ? "1" : "0")
        return ["HELLO\n", "GET\n", "SET 10.9.9.9\n", "CONNS 10.9.9.9\n", "PING\n", "AUTH \(almost)\nGET\n",
                "AUTH \(String(repeating: "0", count: 64))\nSET 10.9.9.9\n"]
    }

    /// Whether `secret` appears in any process's command line or environment on this machine.
    static func secretInAnyProcess(_ secret: String) -> Bool {
        let needle = Array(secret.utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries where pid.allSatisfy(\.isNumber) {
            for file in ["cmdline", "environ"] {
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") else { continue }
                let bytes = [UInt8](data)
                if bytes.count >= needle.count, (0...(bytes.count - needle.count)).contains(where: { bytes[$0..<$0 + needle.count].elementsEqual(needle) }) {
                    return true
                }
            }
        }
        return false
    }
}
