import Foundation

/// Follows a build's progress stream: the current step, the last output lines, the last `aux.ID`
/// and the first in-band error, and turns each message into `ImageBuildEvent`s.
struct BuildStreamState: Sendable {
    static let tailLength = 20

    private(set) var step: String?
    private(set) var outputTail: [String] = []
    private(set) var imageID: String?
    private(set) var errorMessage: String?
    private(set) var errorCode: Int?

    mutating func consume(_ message: ProgressMessage) -> [ImageBuildEvent] {
        var events: [ImageBuildEvent] = []
        if let text = message.stream {
            for line in Self.lines(text) {
                if line.hasPrefix("Step ") {
                    step = line
                    events.append(.step(line))
                } else {
                    outputTail.append(line)
                    if outputTail.count > Self.tailLength { outputTail.removeFirst() }
                    events.append(.output(line))
                }
            }
        }
        if let status = message.status {
            events.append(.status(status))
        }
        if let id = message.aux?.id {
            imageID = id
            events.append(.imageID(id))
        }
        if let error = message.errorMessage, errorMessage == nil {
            errorMessage = error
            errorCode = message.errorDetail?.code
        }
        return events
    }

    /// The failure details: the step, the tail of the output, the exit code from
    /// "returned a non-zero code: N" (or the error's code), and the engine's message itself.
    var failure: BuildFailure {
        BuildFailure(step: step, outputTail: outputTail, exitCode: Self.exitCode(in: errorMessage ?? "") ?? errorCode,
                     engineMessage: errorMessage)
    }

    static func exitCode(in message: String) -> Int? {
        guard let range = message.range(of: "returned a non-zero code: ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    /// The non-blank lines of `text`, without ANSI escape sequences or trailing whitespace.
    static func lines(_ text: String) -> [String] {
        stripANSI(text).split(whereSeparator: \.isNewline)
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    static func stripANSI(_ text: String) -> String {
        var output = ""
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            if scalars[index] == "\u{1B}", scalars.index(after: index) < scalars.endIndex, scalars[scalars.index(after: index)] == "[" {
                index = scalars.index(index, offsetBy: 2)
                while index < scalars.endIndex, !(("@"..."~").contains(scalars[index])) { index = scalars.index(after: index) }
                if index < scalars.endIndex { index = scalars.index(after: index) }
            } else {
                output.unicodeScalars.append(scalars[index])
                index = scalars.index(after: index)
            }
        }
        return output
    }
}
