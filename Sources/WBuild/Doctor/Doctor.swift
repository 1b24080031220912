import Foundation
import WBuildWorkloads
import WBuildDocker
import WBuildFiles
import WBuildSpec

/// `wbuild doctor`: checks what wbuild depends on — the project file, the container engine
/// (socket, API version, storage driver, GPU runtime), the helper programs it ships, inotify
/// limits against the size of the project, the registry — and says how to fix each failure.
public enum Doctor {
    /// The checks; with `target` "swarm" also the swarm manager, its nodes and IPVS.
    public static func run(projectFile: String, target: String? = nil) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let path = Engine.absolutePath(projectFile)
        var spec: ProjectSpec?
        do {
            spec = try ProjectLoader.load(path: path)
            checks.append(DoctorCheck(projectFileCheck, .ok, path))
        } catch {
            // No project file is fine (doctor also checks a machine); one that is there but invalid fails.
            let present = FileManager.default.fileExists(atPath: path)
            checks.append(DoctorCheck(projectFileCheck, present ? .failed : .warning, error.description,
                                      fix: present ? "edit the project file at the line and column shown" : "run doctor in a project directory (or pass -f)"))
        }
        checks += await engineChecks(needsGPU: spec?.workloads.contains { $0.resources.gpus != .none } ?? false)
        checks += bundledProgramChecks()
        checks += inotifyChecks(root: (path as NSString).deletingLastPathComponent, ignore: spec?.watch.ignore ?? [])
        if let registry = spec?.publish?.registry, let host = try? DockerHost.fromEnvironment() {
            checks += await RegistryChecks.run(registry: registry, client: DockerClient(host: host))
        }
        if target == "swarm" { checks += await SwarmChecks.run(spec: spec) }
        return checks
    }

    /// The name of the check that loads the project file; when it fails, `wbuild doctor` exits 2.
    public static let projectFileCheck = "project file"

    static func engineChecks(needsGPU: Bool) async -> [DoctorCheck] {
        let host: DockerHost
        do {
            host = try DockerHost.fromEnvironment()
        } catch {
            return [DoctorCheck("engine address", .failed, error.message, fix: error.hint)]
        }
        var checks: [DoctorCheck] = []
        if case .unix(let socket) = host {
            var info = stat()
            if stat(socket, &info) != 0 {
                return [DoctorCheck("engine socket", .failed, "\(socket) does not exist",
                                    fix: "install the engine (`apt-get install docker.io`) and start it (`dockerd &` or `systemctl start docker`), or set DOCKER_HOST")]
            }
            if access(socket, R_OK | W_OK) != 0 {
                return [DoctorCheck("engine socket", .failed, "\(socket) exists but this user may not use it",
                                    fix: "add yourself to the docker group (`usermod -aG docker $USER`, then log in again) or run as root")]
            }
            checks.append(DoctorCheck("engine socket", .ok, socket))
        }
        let client = DockerClient(host: host)
        do {
            let version = try await client.ping()
            let tooOld = version.negotiated < APIVersion(major: 1, minor: 41)
            checks.append(DoctorCheck("engine API", tooOld ? .warning : .ok,
                                      "\(version.server ?? "engine") speaks API \(version.engineAPIVersion), using \(version.negotiated)",
                                      fix: tooOld ? "wbuild is tested with API 1.41 (Docker 20.10); upgrade the engine" : nil))
            let info = try await client.info()
            let driver = info.storageDriver ?? "unknown"
            let goodDriver = ["overlay2", "btrfs", "zfs"].contains(driver)
            checks.append(DoctorCheck("storage driver", goodDriver ? .ok : .warning, driver,
                                      fix: goodDriver ? nil : "overlay2 is fastest for image builds; see the engine's storage-driver settings"))
            let hasGPU = info.runtimes.contains("nvidia")
            if needsGPU || hasGPU {
                checks.append(DoctorCheck("GPU runtime", hasGPU ? .ok : .failed,
                                          hasGPU ? "nvidia runtime available" : "a workload asks for GPUs but the engine has no nvidia runtime",
                                          fix: hasGPU ? nil : "install the NVIDIA container toolkit and restart the engine, or set resources.gpus to 0"))
            }
        } catch let error as DockerError {
            checks.append(DoctorCheck("engine", .failed, error.message, fix: error.hint))
        } catch {
            checks.append(DoctorCheck("engine", .failed, "\(error)", fix: "check that dockerd is running"))
        }
        return checks
    }

    /// The static helpers copied into containers: the live-update supervisor and the front door.
    static func bundledProgramChecks() -> [DoctorCheck] {
        ResourceBinary.bundled.map { program in
            do {
                return DoctorCheck(program.name, .ok, try program.hostPath())
            } catch {
                return DoctorCheck(program.name, .failed, "\(program.name) is \(error)", fix: program.hint)
            }
        }
    }

    static func readSysctl(_ name: String) -> Int? {
        let path = "/proc/sys/fs/inotify/\(name)"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Compares `max_user_watches` with the directories the watcher would watch (one watch each).
    static func inotifyChecks(root: String, ignore: [String]) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let rules = (try? IgnoreRules(patterns: ignore)) ?? .none
        let directories = countDirectories(root: root, rules: rules, limit: 2_000_000)
        if let watches = readSysctl("max_user_watches") {
            let fits = directories * 2 < watches
            checks.append(DoctorCheck("inotify watches", fits ? .ok : (directories < watches ? .warning : .failed),
                                      "this project needs about \(directories) of fs.inotify.max_user_watches = \(watches)",
                                      fix: fits ? nil : "sysctl fs.inotify.max_user_watches=\(max(524_288, directories * 4)) (wbuild polls what does not fit)"))
        }
        if let instances = readSysctl("max_user_instances") {
            checks.append(DoctorCheck("inotify instances", instances >= 128 ? .ok : .warning,
                                      "fs.inotify.max_user_instances = \(instances)",
                                      fix: instances >= 128 ? nil : "sysctl fs.inotify.max_user_instances=512"))
        }
        if let queued = readSysctl("max_queued_events") {
            checks.append(DoctorCheck("inotify queue", queued >= 16384 ? .ok : .warning,
                                      "fs.inotify.max_queued_events = \(queued)",
                                      fix: queued >= 16384 ? nil : "sysctl fs.inotify.max_queued_events=16384 (overflows cost a rescan)"))
        }
        return checks
    }

    static func countDirectories(root: String, rules: IgnoreRules, limit: Int) -> Int {
        var count = 0
        var stack = [""]
        while let relative = stack.popLast(), count < limit {
            count += 1
            let absolute = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root + "/" + child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                if DefaultIgnores.isIgnored(relativePath: child, isDirectory: true) || rules.canPruneDirectory(child) { continue }
                stack.append(child)
            }
        }
        return count
    }
}
