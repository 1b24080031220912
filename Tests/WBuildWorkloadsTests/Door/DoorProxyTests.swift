import Foundation
import Glibc
import Testing
import WBuildSystem
import WBuildTestSupport
@testable import WBuildWorkloads

/// `wbuild-door` run on the host in front of test servers on 127.0.0.2 and 127.0.0.3 (all of
/// 127/8 is loopback on Linux), as a user of a workload's front door would notice it.
@Suite("Door proxy")
struct DoorProxyTests {
    private static let first = "127.0.0.2"
    private static let second = "127.0.0.3"
    /// Loopback addresses nothing listens on: connections to them are refused.
    private static let deadOnes = ["127.0.0.4", "127.0.0.5"]

    @Test("bytes round-trip both ways through the door, and the control port reports its set")
    func roundTrip() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            let control = try door.control()
            #expect(try control.command("HELLO") == "OK wbuild-door 2")
            #expect(try control.command("GET") == "OK")
            #expect(try control.command("SET \(Self.first)") == "OK 1")
            #expect(try control.command("GET") == "OK \(Self.first)")
            let client = try door.connect()
            #expect(try client.readLine() == Self.first)
            try client.send("hello\n")
            #expect(try client.readLine() == "hello")
            try client.send("world\n")
            #expect(try client.readLine() == "world")
            #expect(waitUntil { door.standardError.contains("wbuild-door: backends \(Self.first)") })
        }
    }

    @Test("an 8 MiB request and its 8 MiB answer arrive intact")
    func largePayload() async throws {
        try await DoorProcess.with(backends: [Self.first], mode: .replyAtEnd) { door, _ in
            try door.command("SET \(Self.first)")
            let payload = patternBytes(8 << 20)
            let client = try door.connect()
            try client.send(payload)
            client.shutdownWrite()
            let (answer, end) = client.readToEnd()
            #expect(end == .eof)
            #expect(answer.count == payload.count)
            #expect(answer == payload, "bytes lost or reordered")
        }
    }

    @Test("4 MiB streamed both ways at once, with the reader behind the writer, arrive intact")
    func streamingBothWays() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            try door.command("SET \(Self.first)")
            let payload = patternBytes(4 << 20, seed: 42)
            let client = try door.connect()
            #expect(try client.readLine() == Self.first)
            let writer = Thread { [fd = client.fd] in
                var offset = 0
                while offset < payload.count {
                    let sent = payload[offset..<min(payload.count, offset + 100_000)].withUnsafeBytes {
                        Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                    }
                    if sent <= 0 { return }
                    offset += sent
                }
                shutdown(fd, Int32(SHUT_WR))
            }
            writer.start()
            usleep(200_000)  // let the buffers on the way fill up: backpressure, not loss
            let (echoed, end) = client.readToEnd()
            #expect(end == .eof)
            #expect(echoed == payload, "bytes lost or reordered")
        }
    }

    @Test("new connections alternate between two backends")
    func roundRobin() async throws {
        try await DoorProcess.with(backends: [Self.first, Self.second]) { door, backends in
            #expect(try door.command("SET \(Self.first) \(Self.second)") == "OK 2")
            var served: [String: Int] = [:]
            for _ in 0..<10 {
                let client = try door.connect()
                served[try client.readLine(), default: 0] += 1
            }
            #expect(served == [Self.first: 5, Self.second: 5])
            #expect(backends.map(\.accepted) == [5, 5])
        }
    }

    @Test("SET sends new connections to the new set while an open one to the old backend runs until closed")
    func setDrains() async throws {
        try await DoorProcess.with(backends: [Self.first, Self.second]) { door, _ in
            try door.command("SET \(Self.first)")
            let old = try door.connect()
            #expect(try old.readLine() == Self.first)
            #expect(try door.command("SET \(Self.second)") == "OK 1")
            let new = try door.connect()
            #expect(try new.readLine() == Self.second)
            try old.send("still here\n")
            #expect(try old.readLine() == "still here")
            #expect(try door.connections(to: Self.first) == 1)
            #expect(try door.connections(to: Self.second) == 1)
            old.close()
            #expect(try waitUntil { try door.connections(to: Self.first) == 0 })
            try new.send("new\n")
            #expect(try new.readLine() == "new")
        }
    }

    @Test("with no backends a client is held, then served once a SET arrives")
    func emptySetHolds() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            let client = try door.connect()
            try client.send("early\n")
            #expect(!client.isReadable(within: 300), "held, not closed, while the set is empty")
            #expect(try door.command("SET \(Self.first)") == "OK 1")
            #expect(try client.readLine() == Self.first)
            #expect(try client.readLine() == "early")
        }
    }

    @Test("a held client is closed once the hold runs out with no backends")
    func holdRunsOut() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            let client = try door.connect()
            #expect(!client.isReadable(within: 1000), "held while the set is empty")
            // Then closed without a byte once HOLD_MS (5 s) has passed; the socket's own 10 s
            // receive timeout is the deadline.
            let (bytes, end) = client.readToEnd()
            #expect(bytes.isEmpty)
            #expect(end == .eof)
        }
    }

    @Test("a backend whose connect times out is skipped after a second")
    func connectTimeout() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, backends in
            let port = backends[0].port
            let blackhole = try Blackhole(address: Self.deadOnes[1], port: port)
            defer { blackhole.close() }
            try door.command("SET \(Self.deadOnes[1]) \(Self.first)")
            let client = try door.connect()
            #expect(try client.readLine() == Self.first)
            #expect(waitUntil { door.standardError.contains("backend \(Self.deadOnes[1]):\(port) timed out") })
        }
    }

    @Test("a backend that refuses is skipped for a live one")
    func deadBackendSkipped() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, backends in
            #expect(try door.command("SET \(Self.deadOnes[0]) \(Self.first)") == "OK 2")
            for _ in 0..<4 {
                let client = try door.connect()
                #expect(try client.readLine() == Self.first)
            }
            #expect(backends[0].accepted == 4)
            #expect(waitUntil { door.standardError.contains("backend \(Self.deadOnes[0]):\(backends[0].port)") })
        }
    }

    @Test("when every backend refuses the client sees its connection closed, without a byte")
    func allDead() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            #expect(try door.command("SET \(Self.deadOnes.joined(separator: " "))") == "OK 2")
            let client = try door.connect()
            // Closed, not held as with an empty set (held clients stay unreadable for 5 s).
            #expect(client.isReadable(within: 3000), "still held")
            let (bytes, end) = client.readToEnd()
            #expect(bytes.isEmpty)
            #expect(end == .eof)
        }
    }

    @Test("a client that shuts down its writing half still gets the whole answer")
    func halfClose() async throws {
        try await DoorProcess.with(backends: [Self.first], mode: .replyAtEnd) { door, _ in
            try door.command("SET \(Self.first)")
            let client = try door.connect()
            try client.send("the whole request")
            client.shutdownWrite()
            let (answer, end) = client.readToEnd()
            #expect(String(decoding: answer, as: UTF8.self) == "the whole request")
            #expect(end == .eof)
        }
    }

    @Test("a backend that resets halfway resets the client too, rather than ending its stream cleanly")
    func backendResetPropagates() async throws {
        try await DoorProcess.with(backends: [Self.first], mode: .greetAndReset) { door, _ in
            try door.command("SET \(Self.first)")
            let client = try door.connect()
            #expect(try client.readLine() == Self.first)
            try client.send("GET /\n")
            let (bytes, end) = client.readToEnd()
            #expect(bytes.isEmpty)
            #expect(end == .reset)
        }
    }

    @Test("a client that resets its connection resets the backend's too")
    func clientResetPropagates() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, backends in
            try door.command("SET \(Self.first)")
            let client = try door.connect()
            #expect(try client.readLine() == Self.first)
            client.reset()
            #expect(waitUntil { backends[0].resets == 1 })
            #expect(try waitUntil { try door.connections(to: Self.first) == 0 })
        }
    }

    @Test("out of descriptors, the door pauses accepting instead of spinning and serves the rest as connections close")
    func descriptorShortage() async throws {
        try await DoorProcess.with(backends: [Self.first], descriptorLimit: 20) { door, _ in
            try door.command("SET \(Self.first)")
            var waiting = try (0..<12).map { _ in try door.connect() }
            usleep(300_000)
            let before = try door.cpuTicks()
            usleep(500_000)
            #expect(try door.cpuTicks() - before < 10, "the door spins while out of descriptors")
            var rounds = 0
            let deadline = ContinuousClock.now + .seconds(10)
            while !waiting.isEmpty && ContinuousClock.now < deadline {
                let served = waiting.filter { $0.isReadable(within: 200) }
                guard !served.isEmpty else { continue }
                #expect(served.count < 12)
                for client in served { #expect(try client.readLine() == Self.first) }
                served.forEach { $0.close() }
                waiting.removeAll { client in served.contains { $0 === client } }
                rounds += 1
            }
            #expect(waiting.isEmpty, "\(waiting.count) clients never served")
            #expect(rounds >= 2, "all served at once: the limit did not bite")
            #expect(waitUntil { door.standardError.contains("pausing accepts") })
        }
    }

    @Test("the control port answers only a connection whose first line is AUTH with the door's secret")
    func secretRequired() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            let anonymous = DoorControl(try TestSocket.connect(port: door.controlPort))
            #expect(try anonymous.command("SET \(Self.first)") == "ERR not authenticated")
            #expect(anonymous.socket.readToEnd().end == .eof)

            let wrong = DoorControl(try TestSocket.connect(port: door.controlPort))
            #expect(try wrong.command("AUTH \(String(repeating: "0", count: 64))") == "ERR not authenticated")
            #expect(wrong.socket.readToEnd().end == .eof)

            // The secret with one character less, or one more, is wrong too.
            let short = DoorControl(try TestSocket.connect(port: door.controlPort))
            #expect(try short.command("AUTH \(door.secret.dropLast())") == "ERR not authenticated")
            let long = DoorControl(try TestSocket.connect(port: door.controlPort))
            #expect(try long.command("AUTH \(door.secret)0") == "ERR not authenticated")

            // None of them changed the set.
            let control = try door.control()
            #expect(try control.command("GET") == "OK")
            #expect(try control.command("SET \(Self.first)") == "OK 1")
            #expect(try control.command("GET") == "OK \(Self.first)")
        }
    }

    @Test("a door whose secret file is missing refuses every control connection and says so")
    func noSecretRefusesAll() async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-door-nosecret")
        defer { directory.remove() }
        let door = try await DoorProcess.start(backendPort: 9, secretFile: directory.url("missing"), expectAnswer: false)
        try await BlockingWork.run(name: "door-test") {
            let control = DoorControl(try TestSocket.connect(port: door.controlPort))
            #expect(try control.command("AUTH \(String(repeating: "a", count: 64))") == "ERR not authenticated")
            #expect(control.socket.readToEnd().end == .eof)
        }
        #expect(door.standardError.contains("every control connection is refused"))
        await door.child.terminate(grace: .seconds(2))
    }

    @Test("control commands: bad addresses leave the set alone, duplicates count once, unknown and overlong lines are refused")
    func controlProtocol() async throws {
        try await DoorProcess.with(backends: [Self.first]) { door, _ in
            let control = try door.control()
            #expect(try control.command("SET \(Self.first) \(Self.first) \(Self.second)") == "OK 2")
            #expect(try control.command("SET \(Self.first) 10.0.0.300").hasPrefix("ERR "))
            #expect(try control.command("SET 10.0.0.1:80").hasPrefix("ERR "))
            #expect(try control.command("GET") == "OK \(Self.first) \(Self.second)")
            let tooMany = (1...65).map { "10.0.1.\($0)" }.joined(separator: " ")
            #expect(try control.command("SET \(tooMany)").hasPrefix("ERR "))
            #expect(try control.command("CONNS").hasPrefix("ERR "))
            #expect(try control.command("CONNS \(Self.second)") == "OK 0")
            #expect(try control.command("RELOAD") == "ERR unknown command")
            #expect(try control.command("SET") == "OK 0")
            #expect(try control.command("GET") == "OK")
            // Several commands in one write get one reply each, in order.
            try control.socket.send("HELLO\r\nGET\nSET \(Self.first)\n")
            #expect(try control.socket.readLine() == "OK wbuild-door 2")
            #expect(try control.socket.readLine() == "OK")
            #expect(try control.socket.readLine() == "OK 1")
            #expect(try control.command(String(repeating: "x", count: 5000)) == "ERR line too long")
            // Closed with the rest of the line unread, which the kernel turns into a reset.
            #expect(control.socket.readToEnd().end != .timeout)
        }
    }

    @Test("bad arguments print the usage and exit 2", arguments: [
        [], ["--control"], ["--control", "0", "8080"], ["abc"], ["80:"], [":80"], ["0"], ["70000"],
        ["--bind", "nowhere", "8080"], ["--frob", "8080"], ["8080", "8080"], ["--control", "8080", "8080"],
    ])
    func badArguments(_ arguments: [String]) async throws {
        let child = try ChildProcess.spawn(ProcessLaunch(.argv([try DoorProcess.path()] + arguments)))
        #expect(await child.wait() == .exited(2))
        #expect(child.tail.contains { $0.stream == .stderr && $0.line.contains("usage: wbuild-door") })
    }

    @Test("SIGTERM stops the door at once with exit code 0")
    func sigterm() async throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-door-secret")
        defer { directory.remove() }
        let door = try await DoorProcess.start(backendPort: 9, secretFile: try DoorProcess.writeSecret(in: directory))
        #expect(door.child.signalGroup(SIGTERM))
        // Exit 0 is the door's own handler (the default action would be death by the signal).
        #expect(await door.child.wait() == .exited(0))
    }

    @Test("200 connections open at once are all forwarded and all complete")
    func manyConcurrent() async throws {
        try await DoorProcess.with(backends: [Self.first, Self.second]) { door, _ in
            try door.command("SET \(Self.first) \(Self.second)")
            let clients = try (0..<200).map { _ in try door.connect() }
            for client in clients { _ = try client.readLine() }
            #expect(try door.connections(to: Self.first) + door.connections(to: Self.second) == 200)
            for (index, client) in clients.enumerated() { try client.send("client \(index)\n") }
            for (index, client) in clients.enumerated() { #expect(try client.readLine() == "client \(index)") }
            clients.forEach { $0.close() }
            #expect(try waitUntil { try door.connections(to: Self.first) + door.connections(to: Self.second) == 0 })
        }
    }

    @Test("the door binary is a static executable that runs in a scratch image")
    func theBinaryIsStatic() async throws {
        let bytes = try await DoorBinary.contents(workload: "door-test")
        #expect(Array(bytes.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46])
        // No PT_INTERP (3) among the ELF64 program headers: no dynamic loader needed.
        func integer(at offset: Int, bytes count: Int) -> Int {
            (0..<count).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        let headers = integer(at: 32, bytes: 8), entrySize = integer(at: 54, bytes: 2), count = integer(at: 56, bytes: 2)
        let types = (0..<count).map { integer(at: headers + $0 * entrySize, bytes: 4) }
        #expect(!types.isEmpty)
        #expect(!types.contains(3), "PT_INTERP found: the door is dynamically linked")
    }
}
