import Foundation
import WBuildCore
import WBuildDocker

/// Turns what the engine said about a failed build into a `NodeFailure` that says why: the
/// failing step and the engine's own message (`COPY failed: file not found in build context …`,
/// `The command '/bin/sh -c exit 3' returned a non-zero code: 3`), or — for a Dockerfile the
/// engine rejects before building (HTTP 400, `dockerfile parse error line 3: …`) — the
/// Dockerfile's `file:line`, that line's text and the engine's message. Never the request URL.
enum ImageBuildFailure {
    static let fixHint = "fix the Dockerfile or the files it uses; wbuild builds again when they change"

    /// The failure for `error`, thrown by a build of `dockerfile` (its bytes as read, shown as `displayPath`).
    static func nodeFailure(for error: DockerError, dockerfile: [UInt8], displayPath: String) -> NodeFailure {
        if let failure = error.buildFailure {
            var message = "image build failed"
            if let step = failure.step { message += " at \(step)" }
            if let code = failure.exitCode { message += " (exit code \(code))" }
            message += ": \(error.message)"
            let tail = failure.outputTail.filter { !ImageBuildRule.isBuilderChatter($0) }
            return NodeFailure(message, tail: tail, hint: error.hint ?? fixHint)
        }
        if error.kind == .httpError, let line = lineNumber(in: error.message) {
            var message = "\(displayPath):\(line)"
            if let text = Self.line(line, of: dockerfile) { message += ": `\(text)`" }
            message += ": \(error.message)" + call(of: error)
            return NodeFailure(message, hint: fixHint)
        }
        return NodeFailure("image build failed: \(error.message)" + call(of: error),
                           hint: error.hint ?? (error.kind == .httpError ? fixHint : nil))
    }

    /// ` (docker POST /build, HTTP 400)`: the call and status, never the query (the endpoint of
    /// a `DockerError` is stored without it).
    static func call(of error: DockerError) -> String {
        var parts: [String] = []
        if let method = error.method, let endpoint = error.endpoint { parts.append("docker \(method) \(endpoint)") }
        if let status = error.status { parts.append("HTTP \(status)") }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
    }

    /// N of "… line N: …" / "… line N …" in an engine message (the classic builder's parse errors).
    static func lineNumber(in message: String) -> Int? {
        guard let range = message.range(of: "line ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return Int(digits).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Line `number` (1-based) of `bytes`, trimmed; nil past the end or when blank.
    static func line(_ number: Int, of bytes: [UInt8]) -> String? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard number >= 1, number <= lines.count else { return nil }
        let text = lines[number - 1].trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
