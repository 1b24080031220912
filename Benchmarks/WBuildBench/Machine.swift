import Foundation

/// Reads what the report says about the machine: CPUs, memory, load, kernel, and the date.
enum Machine {
    static func context(commit: String, wbuild: String) -> MachineContext {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var names = utsname()
        uname(&names)
        let kernel = withUnsafeBytes(of: &names.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return MachineContext(date: formatter.string(from: Date()),
                              processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                              memoryMegabytes: memoryMegabytes() ?? 0,
                              commit: commit,
                              kernel: kernel,
                              wbuild: wbuild,
                              loadAverage: loadAverage() ?? "?")
    }

    /// The first three fields of /proc/loadavg.
    private static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// `MemTotal` from /proc/meminfo.
    private static func memoryMegabytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kilobytes.map { $0 / 1024 }
        }
        return nil
    }
}
