#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WBuildCore
import WBuildSystem

/// Follows the router's requests: one control connection turned into a stream by `EVENTS`, read
/// on a thread of its own (blocking reads never touch the cooperative pool), each `REQ` line
/// emitted as a `route` event. The router never waits for it: a slow reader loses lines and is
/// told how many (`DROPPED <n>`, said once as a warning). It reconnects while the router is
/// being restarted and ends when stopped.
final class RouterEventStream: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Starts following `endpoint` (`endpoint()` is asked again after each break, since a restarted
    /// router has a new address).
    init(endpoint: @escaping @Sendable () -> ControlEndpoint?, events: EventSink) {
        Task { [self] in
            await BlockingWork.run(name: "wbuild-router-events") { self.follow(endpoint: endpoint, events: events) }
        }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func follow(endpoint: @Sendable () -> ControlEndpoint?, events: EventSink) {
        var reportedDrops = false
        while !stopped.load(ordering: .relaxed) {
            guard let target = endpoint() else { return }
            do throws(ControlReplyError) {
                var channel = try ControlChannel(connectingTo: target, program: RouterBinary.program, replyTimeoutSeconds: 1)
                let refused = read(&channel, events: events, reportedDrops: &reportedDrops)
                channel.close()
                if refused { return }
            } catch {
                // The router restarted or is being replaced: try again shortly.
            }
            usleep(200_000)
        }
    }

    /// Reads the stream until it breaks or the stream is stopped; true when the router refused
    /// the subscription (following it again would not help).
    private func read(_ channel: inout ControlChannel, events: EventSink, reportedDrops: inout Bool) -> Bool {
        do throws(ControlReplyError) {
            try channel.send(Array("EVENTS\n".utf8))
            var subscribed = false
            while !stopped.load(ordering: .relaxed) {
                guard let line = try channel.readLine() else { continue }
                if !subscribed {
                    guard line == "OK" else { return true }
                    subscribed = true
                } else if let record = RouteRecord(line: line) {
                    events.emit(.route(record))
                } else if line.hasPrefix("DROPPED "), !reportedDrops {
                    reportedDrops = true
                    events.emit(.warning("router: \(line.dropFirst(8)) request events were dropped (wbuild read them too slowly)"))
                }
            }
        } catch {
            // Broken: the caller reconnects.
        }
        return false
    }
}
