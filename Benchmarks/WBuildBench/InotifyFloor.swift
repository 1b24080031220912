import WBuildSystem

/// The floor for the watch suite: `inotifywait -m -r` on the same tree, timed the same way as
/// wbuild. How long it takes to watch every directory, how long from a write until its event
/// line reaches us through a pipe, and its peak RSS. Nothing that watches with inotify can
/// beat this; wbuild adds its settle window, hashing and the task's spawn on top.
struct InotifyFloor {
    var edits: FileEdits
    var writes: Int

    struct Figures {
        var startupMilliseconds: Double
        var latency: Samples
        var peakResidentMegabytes: Double?
    }

    static let command = ProcessCommand.argv(["inotifywait", "-m", "-r", "-e", "modify,close_write,create,moved_to",
                                              "--format", "%e %w%f", "src"])

    func measure() async throws(BenchError) -> Figures {
        let process = try StampedProcess.start(Self.command, in: edits.root)
        do {
            let figures = try await measureRunning(process)
            _ = await process.stop(grace: .seconds(1))
            return figures
        } catch {
            _ = await process.stop(grace: .seconds(1))
            throw error
        }
    }

    private func measureRunning(_ process: StampedProcess) async throws(BenchError) -> Figures {
        let ready = try await process.waitFor("\"Watches established.\"", timeout: .seconds(120)) {
            $0.stream == .stderr && $0.text.contains("Watches established")
        }
        var latency = Samples()
        for index in 0..<writes {
            let path = edits.relativePath(ofEdit: index)
            let written = try edits.write(index)
            let first = try await process.waitFor("an event for \(path)", since: written, timeout: .seconds(10)) {
                $0.stream == .stdout && $0.text.hasSuffix(" " + path)
            }
            latency.append(WallClock.milliseconds(nanoseconds: first.arrived - written))
            // The close ends the save; wait for it so the next edit starts clean.
            _ = try await process.waitFor("CLOSE_WRITE for \(path)", since: written, timeout: .seconds(10)) {
                $0.stream == .stdout && $0.text.contains("CLOSE_WRITE") && $0.text.hasSuffix(" " + path)
            }
        }
        return Figures(startupMilliseconds: WallClock.milliseconds(nanoseconds: ready.arrived - process.started),
                       latency: latency, peakResidentMegabytes: ProcStat.peakResidentMegabytes(pid: process.pid))
    }
}
