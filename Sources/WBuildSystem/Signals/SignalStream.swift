#if canImport(Glibc)
import Glibc
#endif

/// Delivers process signals (SIGINT on Ctrl-C, SIGTERM from a supervisor) to async code,
/// instead of their default action of killing the process:
///
/// ```swift
/// for await signal in SignalStream.make([SIGINT, SIGTERM]) {
///     await engine.stopEverythingStarted()
///     break
/// }
/// ```
///
/// While at least one stream for a signal exists, that signal no longer has its previous
/// action (for SIGINT: terminating the process); when the last such stream ends (its
/// consumer is dropped or its task cancelled), the previous action is restored.
/// Any number of streams may ask for the same signal; each gets every delivery. The
/// kernel merges deliveries of a signal that arrive while one is pending, so a stream sees
/// "at least once since the last", not a count.
///
/// How this is safe under Swift 6 strict concurrency: the signal handler is C code
/// (`cwb_signal_forward` in CWBuildSystem) that does only async-signal-safe things — an
/// atomic load of a pipe descriptor and one `write(2)` of the signal number — so no Swift
/// code, allocation or lock ever runs in signal context. A dedicated thread blocked in
/// `read(2)` on that pipe (never the cooperative pool) yields into each subscriber's
/// `AsyncStream.Continuation`, which is `Sendable`; subscribers live in a `Mutex`.
/// A handler is used rather than `DispatchSource.makeSignalSource` with `SIG_IGN`: an
/// ignored signal stays ignored in every child we exec (a dev server that ignores SIGINT),
/// whereas a handler is reset to the default at `exec`.
public enum SignalStream {
    /// A stream of the signal numbers in `signals` as they are delivered to this process.
    /// Up to 16 undelivered signals are buffered; older ones are dropped beyond that.
    public static func make(_ signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let router = SignalRouter.shared
        let id = router.subscribe(to: Set(signals), continuation: continuation)
        continuation.onTermination = { _ in router.unsubscribe(id) }
        return stream
    }
}
