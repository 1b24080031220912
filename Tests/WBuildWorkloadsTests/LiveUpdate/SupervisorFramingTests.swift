import Foundation
import Testing
import WBuildDocker
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// The supervisor's framing, spoken byte by byte over a raw socket to a real container: a body is
/// never read as requests, and a request that does not parse closes the connection with nothing
/// of it applied.
@Suite("Supervisor framing")
struct SupervisorFramingTests {
    /// Headers that must not parse, each followed on the wire by a `DEL` of a directory that must
    /// survive (on the old supervisor a bad PUT header made the next line a command).
    static let malformed: [String] = [
        "PUT 644 -5 /srv/app/a", "PUT 644 +5 /srv/app/a", "PUT 644  5 /srv/app/a", "PUT 644 5x /srv/app/a",
        "PUT 644 0x10 /srv/app/a", "PUT 8 5 /srv/app/a", "PUT 17777 5 /srv/app/a", "PUT 644 5 relative/a",
        "PUT 644 5 /srv/../etc/a", "PUT 644 5 /srv/app/", "PUT 644 99999999999999 /srv/app/a", "PUT 644 5", "PUT",
        "PUT  644 5 /srv/app/a", "PUT 644 5 /srv/app/a\u{0}b", "MKDIR 755", "MKDIR 9 /srv/app/d", "MKDIR 755 //srv",
        "LINK 5000 /srv/app/l", "LINK -1 /srv/app/l", "DEL", "DEL srv/app", "DEL /", "END now", "HELLO there",
        String(repeating: "P", count: 5000),
    ]

    @Test("a malformed request closes the connection with one ERR line and the DEL after it is never run")
    func malformedRequestsClose() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            let endpoint = try await SupervisorTest.endpoint(of: id, client: client)
            try await SupervisorTest.apply([.writeFile(containerPath: "/srv/app/keep/file", bytes: Array("kept".utf8), mode: 0o644)],
                                           to: id, client: client)
            let outcomes = try await BlockingWork.run(name: "test-framing") { () throws -> [String] in
                try Self.malformed.map { header in
                    let socket = try SupervisorTest.connect(endpoint)
                    defer { socket.close() }
                    try socket.send(Array((header + "\n").utf8) + Array("DEL /srv/app/keep\nEND\n".utf8))
                    let answer = try socket.readLine()
                    let rest = socket.readToEnd()
                    return "\(answer.hasPrefix("ERR ") ? "ERR" : answer) \(rest.bytes.isEmpty && rest.end != .timeout ? "closed" : "open")"
                }
            }
            for (header, outcome) in zip(Self.malformed, outcomes) {
                #expect(outcome == "ERR closed", "\(header.prefix(40)): \(outcome)")
            }
            #expect(try await SupervisorTest.shell("cat /srv/app/keep/file", in: id, client: client) == "kept")
        }
    }

    @Test("a file whose content holds request lines is written whole, and none of them runs")
    func bodiesAreNeverRequests() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            let endpoint = try await SupervisorTest.endpoint(of: id, client: client)
            try await SupervisorTest.apply([.writeFile(containerPath: "/srv/app/keep/file", bytes: Array("kept".utf8), mode: 0o644)],
                                           to: id, client: client)
            let body = "DEL /srv/app/keep\nRESTART\nEND\n"
            let replies = try await SupervisorTest.overRawSocket(endpoint) { socket in
                // Sent a byte at a time: the split points must not matter either.
                for byte in Array("PUT 644 \(body.utf8.count) /srv/app/script.txt\n\(body)LINK 9 /srv/app/l\nDEL /keepEND\n".utf8) {
                    try socket.send([byte])
                }
                return [try socket.readLine()]
            }
            #expect(replies == ["OK"])
            #expect(try await SupervisorTest.shell("cat /srv/app/script.txt", in: id, client: client) == body)
            #expect(try await SupervisorTest.shell("readlink /srv/app/l", in: id, client: client) == "DEL /keep\n")
            #expect(try await SupervisorTest.shell("cat /srv/app/keep/file", in: id, client: client) == "kept")
        }
    }

    @Test("an unknown verb is answered and the connection kept; a failed operation is reported at END in step")
    func unknownVerbsAndFailuresKeepTheStream() async throws {
        let client = try DockerClient()
        try await SupervisorTest.withContainer(client) { id in
            let endpoint = try await SupervisorTest.endpoint(of: id, client: client)
            let replies = try await SupervisorTest.overRawSocket(endpoint) { socket in
                try socket.send("del /srv\r\nHELLO\r\nMKDIR 755 /proc/1/nope/dir\nPUT 644 2 /srv/app/after\nokEND\nEND\n")
                return try (0..<4).map { _ in try socket.readLine() }
            }
            #expect(replies[0] == "ERR unknown command")
            #expect(replies[1] == "OK wbuild-init 2")
            #expect(replies[2].hasPrefix("ERR mkdir /proc/1/nope/dir"), "\(replies[2])")
            #expect(replies[3] == "OK", "a failure is reported once, at the END after it")
            #expect(try await SupervisorTest.shell("cat /srv/app/after", in: id, client: client) == "ok")
        }
    }
}
