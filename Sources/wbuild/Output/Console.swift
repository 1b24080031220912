import Foundation
import Glibc
import Synchronization

/// Serialized writes to stdout and stderr (events arrive from many threads), with colour
/// only when the stream is a terminal and `NO_COLOR` is unset.
final class Console: Sendable {
    let colorStdout: Bool
    let colorStderr: Bool
    private let lock = Mutex<Void>(())

    init() {
        let noColor = getenv("NO_COLOR") != nil
        colorStdout = !noColor && isatty(1) == 1
        colorStderr = !noColor && isatty(2) == 1
    }

    func out(_ line: String) { write(line + "\n", to: FileHandle.standardOutput) }
    func err(_ line: String) { write(line + "\n", to: FileHandle.standardError) }

    private func write(_ text: String, to handle: FileHandle) {
        lock.withLock { _ in handle.write(Data(text.utf8)) }
    }

    /// ANSI styles; `paint` returns the text unchanged when colour is off.
    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
    }

    func paint(_ text: String, _ style: Style, stderr: Bool = false) -> String {
        (stderr ? colorStderr : colorStdout) ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// A stable colour per name, so each node's log prefix keeps its colour.
    func paint(prefix: String) -> String {
        let palette: [Style] = [.cyan, .magenta, .blue, .yellow, .green]
        let index = prefix.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xffff } % palette.count
        return paint(prefix, palette[index])
    }
}
