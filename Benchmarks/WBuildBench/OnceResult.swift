import Foundation

/// The final `{"type":"result", …}` line of `wbuild once --json`: how many nodes ran, so the
/// tree suite can tell a real no-op (everything `cached`) from one that rebuilt.
struct OnceResult: Sendable {
    var ok: Bool
    /// The pass's own duration as wbuild reports it (`ms`), without process start and exit.
    var milliseconds: Double?
    /// Node status (`built`, `cached`, `failed`, `blocked`) → count.
    var statuses: [String: Int]

    /// Finds the last result object in the run's stdout; `nil` when there is none.
    init?(_ run: TimedRun) {
        for chunk in run.output.reversed() where chunk.stream == .stdout {
            guard let object = JSONLine.object(chunk.line), object["type"] as? String == "result" else { continue }
            ok = object["ok"] as? Bool ?? false
            milliseconds = (object["ms"] as? NSNumber)?.doubleValue
            var statuses: [String: Int] = [:]
            for node in object["nodes"] as? [[String: Any]] ?? [] {
                statuses[node["status"] as? String ?? "?", default: 0] += 1
            }
            self.statuses = statuses
            return
        }
        return nil
    }

    var summary: String {
        statuses.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}

/// One line of JSON-lines output, decoded.
enum JSONLine {
    static func object(_ line: String) -> [String: Any]? {
        guard line.hasPrefix("{") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// The `type` member of a JSON event line.
    static func type(_ line: String) -> String? { object(line)?["type"] as? String }
}
