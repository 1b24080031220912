import WBuildCore
import WBuildSpec

extension WorkloadPlan {
    /// A fingerprint of everything that decides what the containers are: the image (pass its
    /// id when `image` is a reference, so a rebuilt image under the same tag counts as a
    /// change), process, rendered environment and bindings, secrets (as keyed digests), ports, limits, mounts, probes,
    /// replicas, sidecars, stop grace, the init mode, and how peers reach it (through a front
    /// door, or by the replicas' own network alias).
    public func fingerprint(imageID: String? = nil) -> Fingerprint {
        var builder = FingerprintBuilder(kind: "workload")
        builder.add("project", project)
        builder.add("workload", workload)
        builder.add("image", image)
        builder.add("imageID", imageID ?? "")
        builder.add("entrypoint", entrypoint.map { ["set"] + $0 } ?? [])
        builder.add("command", command.map { ["set"] + $0 } ?? [])
        builder.add("imageProcess", imageProcess.map { $0.entrypoint + ["--"] + $0.command } ?? [])
        builder.add("workdir", workdir ?? "")
        builder.add("environment", environment)
        if !secretEnvironment.isEmpty {
            // Keyed digests only (FingerprintKey): the fingerprint lands in labels others can read.
            builder.add("secretEnvironment", secretEnvironment.map { "\($0.name)=\($0.digest)" })
        }
        builder.add("ports", ports.map { "\($0.name ?? "")|\($0.container)|\($0.host)|\($0.hostIP)|\($0.protocol.rawValue)" })
        builder.add("resources", [
            resources.nanoCpus.map(String.init) ?? "", resources.memoryBytes.map(String.init) ?? "",
            resources.gpus.map(Self.describe) ?? "",
        ])
        builder.add("readiness", readiness.map(Self.describe) ?? "")
        builder.add("liveness", liveness.map(Self.describe) ?? "")
        if let startup { builder.add("startup", Self.describe(startup)) }  // absent: fingerprints as before
        builder.add("replicas", String(replicas))
        builder.add("volumes", volumes.map(\.bind))
        builder.add("sidecars", sidecars.map { sidecar in
            [sidecar.name, sidecar.image, (sidecar.entrypoint ?? ["-"]).joined(separator: "\u{1}"),
             (sidecar.command ?? ["-"]).joined(separator: "\u{1}"), sidecar.environment.joined(separator: "\u{1}")]
                .joined(separator: "\u{0}")
        })
        builder.add("debugPort", debugPort.map(String.init) ?? "")
        builder.add("stopGraceMs", String(stopGraceMs))
        builder.add("supervisor", wrapWithSupervisor ? "1" : "0")
        builder.add("reachedThrough", hasFrontDoor ? "front door 1" : "alias")
        return builder.finish()
    }

    private static func describe(_ gpus: GPURequest) -> String {
        switch gpus {
        case .all: return "all"
        case .count(let count): return String(count)
        }
    }

    private static func describe(_ probe: ProbeSpec) -> String {
        let check: String
        switch probe.check {
        case .http(let path, let port): check = "http \(port) \(path)"
        case .tcp(let port): check = "tcp \(port)"
        case .exec(let command): check = "exec " + command.joined(separator: "\u{1}")
        }
        return "\(check)|\(probe.intervalMs)|\(probe.timeoutMs)|\(probe.failureThreshold)|\(probe.initialDelayMs)"
    }
}
