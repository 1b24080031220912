import Foundation
import WBuild

/// `wbuild status`'s image line: the image, its state and when (built, cached, failed,
/// blocked), and apart from them the reason (`never built`, `inputs changed: …`), e.g.
/// `image wbuild/shop-api:3f2a9c0d1e2b4a5f  built 12 s ago  (reason: never built)`.
enum BuildStateText {
    static func imageLine(_ status: WorkloadStatus, console: Console, now: Double = Date().timeIntervalSince1970) -> String {
        var line = "    image \(status.image ?? "(none yet)")"
        guard let state = status.buildState else {
            return line + "  " + console.paint("never built", .dim)
        }
        let when = status.buildStateAt.map { " \(ago($0, now: now))" } ?? ""
        let style: Console.Style = state == .failed || state == .blocked ? .red : .green
        line += "  " + console.paint("\(state.rawValue)\(when)", style)
        if state != .built, let built = status.builtAt, status.image != nil {
            line += state == .failed || state == .blocked ? " (this image built \(ago(built, now: now)))" : " (built \(ago(built, now: now)))"
        }
        if let reason = status.lastBuild { line += "  " + console.paint("reason: \(reason)", .dim) }
        return line
    }

    /// "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago".
    static func ago(_ time: Double, now: Double) -> String {
        let seconds = Int(max(0, now - time))
        switch seconds {
        case ..<1: return "just now"
        case ..<60: return "\(seconds) s ago"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<86400: return "\(seconds / 3600) h ago"
        default: return "\(seconds / 86400) d ago"
        }
    }
}
