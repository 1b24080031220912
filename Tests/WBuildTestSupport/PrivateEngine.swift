import Foundation

/// A Docker engine the test owns: its own `dockerd` with its own data root, exec root, pid
/// file, socket, config file (an empty `{}`, so the machine's address pools do not apply),
/// bridge and cgroup parent, inside a network namespace of its own, so a test can stop it
/// (SIGTERM), kill it (SIGKILL) and start it again on the same data root without touching
/// the machine's default engine, its `docker0` or its iptables (`--iptables=false`).
///
/// Why the namespace: moby 20.10 started again on a used data root deletes the link named
/// `docker0` in its own namespace. Why `nsenter --net=` and not `ip netns exec`: the latter
/// remounts `/sys` and drops the cgroup mounts dockerd needs.
///
/// Published ports (127.0.0.1) and container addresses exist only inside the namespace: run
/// what must reach them (the `wbuild` under test, `wget`) through `inNamespace(_:)`.
/// `remove()` undoes everything; call it on every path out of the test.
public final class PrivateEngine: Sendable {
    /// The network namespace's name (`/run/netns/NAME`), unique per engine.
    public let name: String
    /// Holds the data root, exec root, socket, pid file, config and log.
    public let directory: String

    public var socket: String { directory + "/docker.sock" }
    /// What `DOCKER_HOST` must say to reach this engine.
    public var dockerHost: String { "unix://" + socket }
    public var namespacePath: String { "/run/netns/" + name }
    var dataRoot: String { directory + "/data" }
    var execRoot: String { directory + "/exec" }
    var pidFile: String { directory + "/dockerd.pid" }
    var logFile: String { directory + "/dockerd.log" }
    var cgroupParent: String { name }

    /// Creates the namespace (loopback up) and starts the engine; fails with what went wrong.
    public init() throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        name = "wbe-" + id
        directory = "/tmp/wbe-" + id
        do {
            try FileManager.default.createDirectory(atPath: execRoot, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dataRoot, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/daemon.json"))
            try Self.runChecked(["/usr/sbin/ip", "netns", "add", name])
            try Self.runChecked(["/usr/bin/nsenter", "--net=" + namespacePath, "/usr/sbin/ip", "link", "set", "lo", "up"])
            try start()
        } catch {
            remove()
            throw error
        }
    }

    /// Starts `dockerd` on the (possibly used) data root and waits until it answers.
    public func start(timeout: Duration = .seconds(60)) throws {
        let arguments = ["/usr/bin/nsenter", "--net=" + namespacePath, "/usr/sbin/dockerd",
                         "--config-file", directory + "/daemon.json",
                         "--data-root", dataRoot, "--exec-root", execRoot, "--pidfile", pidFile,
                         "-H", dockerHost, "--bip", "10.199.0.1/24",
                         "--default-address-pool", "base=10.200.0.0/16,size=24",
                         "--iptables=false", "--ip-masq=false", "--cgroup-parent", cgroupParent]
        // Started with Foundation's Process (which resets the signal dispositions dockerd's
        // containerd needs) but never waited on through it: `stop` follows the pid file.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if !FileManager.default.fileExists(atPath: logFile) { _ = FileManager.default.createFile(atPath: logFile, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if docker(["version", "--format", "{{.Server.Version}}"]) != nil { return }
            usleep(100_000)
        }
        throw EngineError("the private dockerd in \(name) did not answer at \(socket) within \(timeout)", log: logTail())
    }

    /// dockerd's pid, from its pid file, while it runs.
    var daemonPID: pid_t? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return nil }
        return Self.isAlive(pid) ? pid : nil
    }

    /// Whether `pid` exists and is not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        // /proc files report a size of 0: read them as a stream, not as a sized file.
        guard let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return true }
        let stat = String(decoding: bytes, as: UTF8.self)
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    /// Sends `signal` to `dockerd` and waits until it has exited (SIGTERM: it stops its
    /// containers first; SIGKILL: they and containerd are left running, as after a crash).
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) {
        guard let pid = daemonPID else { return }
        kill(pid, signal)
        let deadline = ContinuousClock.now + timeout
        while Self.isAlive(pid) && ContinuousClock.now < deadline { usleep(50_000) }
        if Self.isAlive(pid) {
            kill(pid, SIGKILL)
            while Self.isAlive(pid) { usleep(50_000) }
        }
        // A killed dockerd leaves its pid file, and a new one refuses to start beside it.
        try? FileManager.default.removeItem(atPath: pidFile)
        // A stopped dockerd may exit before its containerd has: a new dockerd would adopt the
        // one that is going away and time out on it.
        // Killed, the engine goes as a whole (dockerd and the containerd it runs, as a service
        // manager kills a service's processes); the containers' shims stay, and a new dockerd
        // finds them. A containerd left behind would not answer the next dockerd.
        let containerdPidFile = execRoot + "/containerd/containerd.pid"
        if let text = try? String(contentsOfFile: containerdPidFile, encoding: .utf8),
           let containerd = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            if signal == SIGKILL { kill(containerd, SIGKILL) }
            let until = ContinuousClock.now + .seconds(30)
            while Self.isAlive(containerd) && ContinuousClock.now < until { usleep(50_000) }
            if Self.isAlive(containerd) { kill(containerd, SIGKILL) }
            try? FileManager.default.removeItem(atPath: containerdPidFile)
        }
    }

    /// Copies `image` from the machine's default engine into this one (`docker save | docker load`).
    public func load(image: String) throws {
        let script = "/usr/bin/docker save \(image) | DOCKER_HOST=\(dockerHost) /usr/bin/docker load -q"
        try Self.runChecked(["/bin/sh", "-c", script], environment: ["DOCKER_HOST": ""])
    }

    /// `docker ARGS` against this engine; trimmed stdout, nil when it failed.
    @discardableResult
    public func docker(_ arguments: [String]) -> String? {
        let result = Self.run(["/usr/bin/docker"] + arguments, environment: ["DOCKER_HOST": dockerHost])
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// `argv` run inside this engine's network namespace (where its published ports and
    /// container addresses are).
    public func inNamespace(_ argv: [String]) -> [String] {
        ["/usr/bin/nsenter", "--net=" + namespacePath] + argv
    }

    /// The body of `url` fetched from inside the namespace (curl; busybox's wget crashes here),
    /// nil when it does not answer.
    public func fetch(_ url: String) -> String? {
        let result = Self.run(inNamespace(["/usr/bin/curl", "-sf", "-m", "3", url]))
        return result.status == 0 ? result.output : nil
    }

    /// `wbuild ARGS` run to its end in `directory`, inside the namespace, against this engine.
    public func wbuild(_ arguments: [String], in directory: String) -> (status: Int32, output: String) {
        let command = ([WBuildBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return Self.run(inNamespace(["/bin/sh", "-c", "cd '\(directory)' && exec \(command) 2>/dev/null"]),
                        environment: ["DOCKER_HOST": dockerHost, "NO_COLOR": "1"])
    }

    /// The last lines of dockerd's log (for failure messages), without gRPC's chatter.
    public func logTail(_ count: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.contains("module=grpc") }.suffix(count).joined(separator: "\n")
    }

    /// Stops dockerd and what it left (containerd, shims: processes naming this engine's
    /// directory), unmounts what is mounted under the directory, removes the cgroups, the
    /// namespace and the directory. Safe to call more than once.
    public func remove() {
        stop(signal: SIGTERM)
        // The log outlives the engine, for a failure's post-mortem.
        try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "/wbuild-private-engine-last.log")
        try? FileManager.default.copyItem(atPath: logFile, toPath: NSTemporaryDirectory() + "/wbuild-private-engine-last.log")
        killLeftovers()
        unmountUnderDirectory()
        removeCgroups()
        _ = Self.run(["/usr/sbin/ip", "netns", "delete", name])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Processes whose command line names this engine's unique directory: containerd and its shims.
    private func killLeftovers() {
        for _ in 0..<50 {
            let pids = processesNamingDirectory() + processesInCgroupParent()
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(100_000)
        }
    }

    /// The containers' processes: everything under this engine's cgroup parent.
    private func processesInCgroupParent() -> [pid_t] {
        let parent = "/sys/fs/cgroup/pids/\(cgroupParent)"
        guard let walker = FileManager.default.enumerator(atPath: parent) else { return [] }
        var pids: [pid_t] = []
        for case let path as String in walker where path.hasSuffix("cgroup.procs") {
            let text = (try? String(contentsOfFile: parent + "/" + path, encoding: .utf8)) ?? ""
            pids += text.split(separator: "\n").compactMap { pid_t($0) }
        }
        return pids
    }

    /// Processes that name this engine's directory on their command line, or live in its namespace.
    private func processesNamingDirectory() -> [pid_t] {
        var namespace = stat()
        let haveNamespace = stat(namespacePath, &namespace) == 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            if command.contains(directory + "/") { return pid }
            var own = stat()
            if haveNamespace, stat("/proc/\(entry)/ns/net", &own) == 0, own.st_ino == namespace.st_ino, own.st_dev == namespace.st_dev {
                return pid
            }
            return nil
        }
    }

    private func unmountUnderDirectory() {
        let text = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let points = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let point = String(fields[4])
            return point.hasPrefix(directory + "/") ? point : nil
        }
        for point in points.sorted(by: { $0.count > $1.count }) { umount2(point, Int32(MNT_DETACH)) }
    }

    private func removeCgroups() {
        let controllers = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []
        for controller in controllers {
            let parent = "/sys/fs/cgroup/\(controller)/\(cgroupParent)"
            guard FileManager.default.fileExists(atPath: parent) else { continue }
            // Deepest first: a cgroup directory goes only once it has no children.
            let nested = (FileManager.default.enumerator(atPath: parent)?.allObjects as? [String] ?? [])
                .filter { !($0 as NSString).lastPathComponent.contains(".") }
            for child in nested.sorted(by: { $0.count > $1.count }) { rmdir(parent + "/" + child) }
            rmdir(parent)
        }
    }

    /// What went wrong with the private engine.
    public struct EngineError: Error, CustomStringConvertible {
        public let message: String
        public let log: String
        init(_ message: String, log: String = "") {
            self.message = message
            self.log = log
        }
        public var description: String { log.isEmpty ? message : message + "\n" + log }
    }

    static func runChecked(_ argv: [String], environment: [String: String] = [:]) throws {
        let result = run(argv, environment: environment)
        guard result.status == 0 else {
            throw EngineError("`\(argv.joined(separator: " "))` failed with status \(result.status): \(result.output)")
        }
    }

    /// Runs `argv` to its end; its exit status and stdout + stderr. Spawned and reaped here
    /// (posix_spawn, waitpid) rather than with Foundation's `Process`, whose exit notification
    /// never came for a shell that left a daemon behind. Output goes through a temporary file,
    /// so a daemon that inherits it cannot keep a reader waiting.
    static func run(_ argv: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment {
            if value.isEmpty { env.removeValue(forKey: key) } else { env[key] = value }
        }
        let outputPath = NSTemporaryDirectory() + "/wbe-run-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        // Default dispositions and an empty mask: the test process blocks or ignores signals
        // (SIGCHLD among them) that dockerd and containerd need as usual.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { return (-1, "posix_spawn \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
