import Glibc
import WBuild

/// `wbuild exec WORKLOAD [--replica N] -- CMD…`: a command in a running replica, with a terminal
/// when stdin is one (raw mode for its duration); exits with the command's exit code.
enum ExecCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        var positionals = context.arguments.positionals
        guard !positionals.isEmpty else {
            throw UsageError(message: "name the workload and the command: wbuild exec WORKLOAD -- CMD…", command: "exec")
        }
        let workload = positionals.removeFirst()
        guard !positionals.isEmpty else {
            throw UsageError(message: "no command to run in `\(workload)`; put it after `--`", command: "exec")
        }
        let replica = try context.replica()
        let tty = isatty(0) == 1 && isatty(1) == 1
        var options = ExecOptions(workload: workload, replica: replica, command: positionals, tty: tty)
        var saved = termios()
        if tty {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { options.size = (Int(size.ws_row), Int(size.ws_col)) }
            if tcgetattr(0, &saved) == 0 {
                var raw = saved
                cfmakeraw(&raw)
                tcsetattr(0, TCSANOW, &raw)
            }
        }
        defer { if tty { tcsetattr(0, TCSANOW, &saved) } }
        let code = try await Engine.exec(projectFile: context.projectFile, options)
        return Int32(truncatingIfNeeded: code)
    }
}
