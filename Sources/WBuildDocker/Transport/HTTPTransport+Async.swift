import Foundation

/// A whole response: head and collected body.
struct HTTPResponse: Sendable {
    var head: HTTPResponseHead
    var body: [UInt8]
}

extension HTTPTransport {
    /// Runs blocking `work` on a new dedicated thread (never on the cooperative pool) and resumes
    /// with its result. Cancelling the task shuts the request's socket down.
    func onDedicatedThread<T: Sendable>(_ request: HTTPRequest,
                                        _ work: @escaping @Sendable (CancellationHandle) throws -> T) async throws -> T {
        let cancellation = CancellationHandle()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try Self.describingFailures(of: request) { try work(cancellation) } })
                }
                thread.name = "wbuild.docker \(request.call.prefix(40))"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Sends `request` and collects the whole body.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await onDedicatedThread(request) { cancellation in
            var body: [UInt8] = []
            let head = try self.execute(request, cancellation: cancellation, onHead: { _ in }, onBody: { body += $0 })
            return HTTPResponse(head: head, body: body)
        }
    }

    /// Sends `request`, decodes the body as it arrives and hands each element to `onElement`
    /// (on the transport's thread); returns when the body ends.
    func stream<Decoder: StreamDecoder>(_ request: HTTPRequest, decoder: Decoder,
                                        onElement: @escaping @Sendable (Decoder.Element) throws -> Void) async throws -> HTTPResponseHead {
        try await onDedicatedThread(request) { cancellation in
            var decoder = decoder
            let head = try self.execute(request, cancellation: cancellation, onHead: { _ in }, onBody: { bytes in
                for element in try decoder.decode(bytes) { try onElement(element) }
            })
            for element in try decoder.finish() { try onElement(element) }
            return head
        }
    }

    /// Sends `request` and returns its decoded body as an async sequence. Ending the iteration
    /// early (or cancelling the consuming task) closes the connection.
    func elements<Decoder: StreamDecoder>(_ request: HTTPRequest, decoder: Decoder) -> AsyncThrowingStream<Decoder.Element, any Error> {
        AsyncThrowingStream { continuation in
            let cancellation = CancellationHandle()
            continuation.onTermination = { _ in cancellation.cancel() }
            let thread = Thread {
                do {
                    try Self.describingFailures(of: request) {
                        var decoder = decoder
                        _ = try self.execute(request, cancellation: cancellation, onHead: { _ in }, onBody: { bytes in
                            for element in try decoder.decode(bytes) { continuation.yield(element) }
                        })
                        for element in try decoder.finish() { continuation.yield(element) }
                    }
                    continuation.finish()
                } catch let error as DockerError where error.kind == .cancelled {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            thread.name = "wbuild.docker stream \(request.call.prefix(40))"
            thread.start()
        }
    }

    /// Turns any failure into a `DockerError` naming the call.
    static func describingFailures<T>(of request: HTTPRequest, _ body: () throws -> T) throws(DockerError) -> T {
        do {
            return try body()
        } catch let error as DockerError {
            throw error
        } catch let error as HTTPParseError {
            throw DockerError(.protocolError, method: request.method, endpoint: request.target, message: error.message)
        } catch {
            throw DockerError(.protocolError, method: request.method, endpoint: request.target, message: "\(error)")
        }
    }
}
