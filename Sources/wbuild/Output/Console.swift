import Foundation
import Glibc
import Synchronization

/// Serialized writes to stdout and stderr (events arrive from many threads), with colour
/// only when the stream is a terminal and `NO_COLOR` is unset, and on a terminal one updating
/// status line at the bottom (progress), which every other line is written above.
final class Console: Sendable {
    let colorStdout: Bool
    let colorStderr: Bool
    /// stdout is a terminal: the status line can be redrawn in place.
    let stdoutIsTerminal: Bool
    /// The status line now shown (nil: none), guarded with the writes themselves.
    private let statusLine = Mutex<String?>(nil)

    init() {
        let noColor = getenv("NO_COLOR") != nil
        stdoutIsTerminal = isatty(1) == 1
        colorStdout = !noColor && stdoutIsTerminal
        colorStderr = !noColor && isatty(2) == 1
    }

    func out(_ line: String) { write(line + "\n", toStdout: true) }
    func err(_ line: String) { write(line + "\n", toStdout: false) }

    /// Shows `text` as the updating line (on a terminal only; elsewhere nothing), or clears it.
    func status(_ text: String?) {
        guard stdoutIsTerminal else { return }
        statusLine.withLock { shown in
            let fitted = text.map(Self.fitted)
            guard fitted != shown else { return }
            var bytes = "\r\u{1B}[K"
            if let fitted { bytes += fitted }
            FileHandle.standardOutput.write(Data(bytes.utf8))
            shown = fitted
        }
    }

    private func write(_ text: String, toStdout: Bool) {
        statusLine.withLock { shown in
            if shown != nil { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
            (toStdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
            if let shown { FileHandle.standardOutput.write(Data(shown.utf8)) }
        }
    }

    /// Cut to the terminal's width, so the line never wraps (a wrapped line cannot be redrawn).
    private static func fitted(_ text: String) -> String {
        var size = winsize()
        let columns = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return text.count < columns ? text : String(text.prefix(max(1, columns - 2))) + "…"
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
