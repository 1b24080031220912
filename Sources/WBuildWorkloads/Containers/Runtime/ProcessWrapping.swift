import Foundation
import WBuildDocker

/// How a container's PID 1 is chosen so signals are forwarded and zombies reaped.
///
/// The engine's own `Init: true` is not in `WBuildDocker.HostConfig` yet, so wbuild does what
/// the engine does for it: it bind-mounts the engine's init binary (`docker-init`, i.e. tini,
/// found on this host next to a local engine) read-only at `/.wbuild/docker-init` and puts it in
/// front of the process. That needs the process itself, so it applies when the plan's
/// entrypoint is given (or the image's is known); otherwise the container runs as the image says.
enum ProcessWrapping {
    /// The path of the engine's init inside containers.
    static let initPathInContainer = "/.wbuild/docker-init"

    /// Where the engine's init binary is on this host, when the engine is local and has one.
    static func localInitBinary(host: DockerHost) -> String? {
        guard case .unix = host else { return nil }
        let candidates = ["/usr/bin/docker-init", "/usr/local/bin/docker-init", "/usr/libexec/docker/docker-init",
                          "/usr/sbin/docker-init"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The full argv the container would run, when it can be known: the entrypoint given (the
    /// engine then ignores the image's command) plus the command; or the image's entrypoint
    /// plus the command given or the image's.
    static func process(entrypoint: [String]?, command: [String]?, image: ImageProcess?) -> [String]? {
        if let entrypoint { return entrypoint + (command ?? []) }
        guard let image else { return nil }
        return image.entrypoint + (command ?? image.command)
    }

    /// Entrypoint, command and extra binds for a container.
    struct Decision: Equatable {
        var entrypoint: [String]?
        var command: [String]?
        var binds: [String]
    }

    static func decide(entrypoint: [String]?, command: [String]?, image: ImageProcess?, supervisor: Bool,
                       initBinary: String?, workload: String) throws(WorkloadPlanError) -> Decision {
        let process = Self.process(entrypoint: entrypoint, command: command, image: image)
        if supervisor {
            guard let process, !process.isEmpty else {
                throw WorkloadPlanError(
                    workload: workload, message: "cannot run under the live-update supervisor: its process is unknown",
                    hint: "give `entrypoint` (or `command`) in wbuild.json, or set the plan's imageProcess from the image config")
            }
            return Decision(entrypoint: [WorkloadPlan.supervisorPath, "--"] + process, command: nil, binds: [])
        }
        if let initBinary, let process, !process.isEmpty {
            return Decision(entrypoint: [initPathInContainer, "--"] + process, command: nil,
                            binds: ["\(initBinary):\(initPathInContainer):ro"])
        }
        return Decision(entrypoint: entrypoint, command: command, binds: [])
    }
}
