#if canImport(Glibc)
import Glibc
#endif
import CWBuildSystem

extension ChildProcess {
    /// Starts `launch` in a new process group with stdin from `/dev/null` (or the launch's
    /// `standardInput`, already in a pipe, then end of file) and no other
    /// descriptor of this process (all above 2 are closed in the child), and starts the
    /// threads that reap it and read its output.
    ///
    /// - Parameter output: called for each line of stdout and stderr, on the reader thread,
    ///   in order within each stream and never concurrently with itself. A final line without
    ///   "\n" comes at end of file; lines longer than 64 KiB come in pieces. Keep it short
    ///   (hand the line to a stream or a lock-protected buffer).
    /// - Throws: `ProcessError` naming the command, the directory and what to do, when the
    ///   program is not found or not executable, the directory is missing, or `posix_spawn`
    ///   fails. (For `.shell`, a missing program is the shell's exit code 127 instead.)
    public static func spawn(
        _ launch: ProcessLaunch,
        output: @escaping @Sendable (OutputChunk) -> Void = { _ in }
    ) throws(ProcessError) -> ChildProcess {
        let plan = try SpawnPlan(launch)
        let input = try InputPipe(for: launch)
        var pipes: OutputPipes
        do {
            pipes = try OutputPipes(for: launch)
        } catch {
            input?.close()
            throw error
        }
        defer { input?.close() }

        var pid: pid_t = 0
        let result = CStringArray(plan.arguments).withPointers { argv in
            CStringArray(plan.environment).withPointers { envp in
                Self.retryingTextFileBusy {
                    cwb_spawn_only_stdio(&pid, plan.executable, argv, envp, launch.directory,
                                         input?.read ?? -1, pipes.standardOutput.write, pipes.standardError.write)
                }
            }
        }
        pipes.closeChildEnds()
        if result != 0 {
            pipes.closeParentEnds()
            throw plan.error(forSpawnErrno: Errno(rawValue: result))
        }

        let exited = AsyncLatch<ExitStatus>()
        let finished = AsyncLatch<ExitStatus>()
        let child = ChildProcess(pid: pid, launch: launch, exited: exited, finished: finished,
                                 pipeIdentities: pipes.identities)
        ChildReaper(pid: pid, exited: exited, wakeDescriptor: pipes.wake.write).start()
        OutputReader(
            standardOutput: pipes.standardOutput.read,
            standardError: pipes.standardError.read,
            wakeDescriptor: pipes.wake.read,
            drainTimeout: launch.outputDrainTimeout,
            exited: exited,
            finished: finished,
            deliver: { chunk in
                child.recordOutput(chunk)
                output(chunk)
            }
        ).start(pid: pid)
        return child
    }
}

extension ChildProcess {
    /// Runs `spawn` again, up to 5 times over about 15 ms, while it fails with `ETXTBSY`.
    ///
    /// A program that was just written (a generated script) can still be open for writing in
    /// a process another thread is forking at that moment, until that process execs and its
    /// close-on-exec descriptors close. The window is short; waiting it out beats failing.
    static func retryingTextFileBusy(_ spawn: () -> Int32) -> Int32 {
        var result = spawn()
        var attempt: UInt32 = 1
        while result == ETXTBSY, attempt < 6 {
            usleep(1000 * attempt)
            attempt += 1
            result = spawn()
        }
        return result
    }
}

/// A child's stdin when the launch gives bytes: a pipe holding them, its write end already
/// closed, so the child reads them and then end of file. The read end closes after the spawn.
private struct InputPipe {
    let read: Int32

    init?(for launch: ProcessLaunch) throws(ProcessError) {
        guard let bytes = launch.standardInput else { return nil }
        guard bytes.count <= ProcessLaunch.maximumStandardInput else {
            throw ProcessError(.pipeFailed, command: launch.command, directory: launch.directory,
                               detail: "standard input of \(bytes.count) bytes is over the \(ProcessLaunch.maximumStandardInput)-byte limit")
        }
        var fds: [Int32] = [-1, -1]
        guard cwb_pipe_cloexec(&fds, 0) == 0 else {
            throw ProcessError(.pipeFailed, command: launch.command, directory: launch.directory, errno: Errno.current)
        }
        // At most PIPE_BUF bytes into an empty pipe whose read end we hold: never blocks, never SIGPIPE.
        let written = bytes.withUnsafeBytes { Glibc.write(fds[1], $0.baseAddress, $0.count) }
        let errno = Errno.current
        Glibc.close(fds[1])
        guard written == bytes.count else {
            Glibc.close(fds[0])
            throw ProcessError(.pipeFailed, command: launch.command, directory: launch.directory,
                               errno: written < 0 ? errno : nil, detail: "writing standard input")
        }
        read = fds[0]
    }

    func close() { Glibc.close(read) }
}

/// The three pipes of one child: its stdout, its stderr, and the reaper → reader wake-up.
/// All are created `O_CLOEXEC`, so a process spawned concurrently elsewhere inherits none.
private struct OutputPipes {
    struct Ends {
        var read: Int32
        var write: Int32
    }

    var standardOutput: Ends
    var standardError: Ends
    var wake: Ends

    init(for launch: ProcessLaunch) throws(ProcessError) {
        var created: [Ends] = []
        for _ in 0..<3 {
            var fds: [Int32] = [-1, -1]
            if cwb_pipe_cloexec(&fds, 0) != 0 {
                let errno = Errno.current
                for ends in created {
                    close(ends.read)
                    close(ends.write)
                }
                throw ProcessError(.pipeFailed, command: launch.command, directory: launch.directory, errno: errno)
            }
            created.append(Ends(read: fds[0], write: fds[1]))
        }
        standardOutput = created[0]
        standardError = created[1]
        wake = created[2]
    }

    /// The write ends the child now holds as its fds 1 and 2.
    mutating func closeChildEnds() {
        close(standardOutput.write)
        close(standardError.write)
        standardOutput.write = -1
        standardError.write = -1
    }

    /// Everything else, when the spawn failed.
    func closeParentEnds() {
        for fd in [standardOutput.read, standardError.read, wake.read, wake.write] {
            close(fd)
        }
    }

    var identities: [String] {
        [standardOutput.read, standardError.read, wake.read].map { fd in
            var info = stat()
            guard fstat(fd, &info) == 0 else { return "" }
            return "pipe:[\(info.st_ino)]"
        }
    }
}

/// `[String]` as the NULL-terminated `char *const[]` that `posix_spawn` takes.
private struct CStringArray {
    let strings: [String]

    init(_ strings: [String]) { self.strings = strings }

    func withPointers<R>(_ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
