#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What `posix_spawn` is given for a launch, worked out before spawning so that a missing
/// program or directory is reported by name instead of as a bare `ENOENT`.
struct SpawnPlan {
    let launch: ProcessLaunch
    /// The program's path (searched in the child's `PATH` for a bare name).
    let executable: String
    let arguments: [String]
    /// `KEY=value` strings: the inherited environment with the launch's variables over it.
    let environment: [String]

    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    init(_ launch: ProcessLaunch) throws(ProcessError) {
        self.launch = launch
        var variables = ProcessInfo.processInfo.environment
        variables.merge(launch.environment) { _, new in new }
        environment = variables.map { "\($0.key)=\($0.value)" }

        if let directory = launch.directory {
            try Self.checkDirectory(directory, launch: launch)
        }
        switch launch.command {
        case .shell(let line):
            executable = "/bin/sh"
            arguments = ["/bin/sh", "-c", line]
        case .argv(let argv):
            guard let program = argv.first, !program.isEmpty else {
                throw ProcessError(.emptyCommand, command: launch.command, directory: launch.directory)
            }
            executable = try Self.resolve(program, searchPath: variables["PATH"] ?? Self.defaultSearchPath, launch: launch)
            arguments = argv
        }
    }

    /// The error for a failed `posix_spawn`, by its errno.
    func error(forSpawnErrno errno: Errno) -> ProcessError {
        if errno == .noSuchFile, let directory = launch.directory, !Self.isDirectory(directory) {
            // The directory went away between the check and the spawn's chdir.
            return ProcessError(.directoryNotFound, command: launch.command, directory: directory, errno: errno)
        }
        let code: ProcessError.Code
        switch errno.rawValue {
        case ENOENT:
            if case .shell = launch.command { code = .spawnFailed } else { code = .commandNotFound }
        case EACCES, EPERM, EISDIR: code = .permissionDenied
        case ETXTBSY: code = .programBusy
        default: code = .spawnFailed
        }
        return ProcessError(code, command: launch.command, directory: launch.directory, errno: errno,
                            detail: "posix_spawn \(executable)")
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private static func checkDirectory(_ directory: String, launch: ProcessLaunch) throws(ProcessError) {
        var info = stat()
        if stat(directory, &info) != 0 {
            let errno = Errno.current
            let code: ProcessError.Code = errno == .notDirectory ? .notADirectory : .directoryNotFound
            throw ProcessError(code, command: launch.command, directory: directory, errno: errno)
        }
        if info.st_mode & S_IFMT != S_IFDIR {
            throw ProcessError(.notADirectory, command: launch.command, directory: directory)
        }
    }

    /// A name with a `/` is a path (relative to the launch directory, where the child starts);
    /// a bare name is searched in each `PATH` entry, as `execvp` would.
    private static func resolve(_ program: String, searchPath: String, launch: ProcessLaunch) throws(ProcessError) -> String {
        if program.contains("/") {
            var path = program
            if !program.hasPrefix("/"), let directory = launch.directory {
                path = directory + "/" + program
            }
            switch executableState(path) {
            case .executable: return program
            case .notExecutable:
                throw ProcessError(.permissionDenied, command: launch.command, directory: launch.directory,
                                   errno: .permissionDenied, detail: path)
            case .missing:
                throw ProcessError(.commandNotFound, command: launch.command, directory: launch.directory,
                                   errno: .noSuchFile, detail: path)
            }
        }
        var deniedCandidate: String?
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let directory = entry.isEmpty ? "." : String(entry)
            let candidate = directory + "/" + program
            switch executableState(candidate) {
            case .executable: return candidate
            case .notExecutable: deniedCandidate = deniedCandidate ?? candidate
            case .missing: continue
            }
        }
        if let deniedCandidate {
            throw ProcessError(.permissionDenied, command: launch.command, directory: launch.directory,
                               errno: .permissionDenied, detail: deniedCandidate)
        }
        throw ProcessError(.commandNotFound, command: launch.command, directory: launch.directory,
                           detail: "searched PATH=\(searchPath)")
    }

    private enum ExecutableState { case executable, notExecutable, missing }

    private static func executableState(_ path: String) -> ExecutableState {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        guard info.st_mode & S_IFMT == S_IFREG, access(path, X_OK) == 0 else { return .notExecutable }
        return .executable
    }
}
