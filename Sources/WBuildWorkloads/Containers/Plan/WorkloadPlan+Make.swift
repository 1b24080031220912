import Foundation
import WBuildSpec

extension WorkloadPlan {
    /// Resolves `spec` for running locally in `project`.
    ///
    /// - Parameters:
    ///   - imageReferences: workload name → the image reference it runs (built images); a
    ///     workload with `image:` in the spec defaults to that reference.
    ///   - projectRoot: absolute path; relative host-path volumes resolve against it and are
    ///     created when missing.
    ///   - wrapWithSupervisor: run the process under `/.wbuild/init` (see `supervisorPath`).
    public static func make(spec: WorkloadSpec, project: ProjectSpec, imageReferences: [String: String],
                            projectRoot: String, wrapWithSupervisor: Bool = false) throws(WorkloadPlanError) -> WorkloadPlan {
        let bindings = LocalBindings(project: project, imageReferences: imageReferences)
        let name = spec.name
        let keyPath = "workloads.\(name)"
        guard let image = imageReferences[name] ?? spec.imageReference else {
            throw WorkloadPlanError(workload: name, message: "no image to run: it is built and has not been built yet",
                                    hint: "build its image first (the graph's image:\(name) node)")
        }
        var plan = WorkloadPlan(project: project.name, workload: name, image: image)
        plan.entrypoint = try bindings.render(spec.entrypoint, workload: name, keyPath: "\(keyPath).entrypoint")
        plan.command = try bindings.render(spec.command, workload: name, keyPath: "\(keyPath).command")
        plan.workdir = spec.workdir
        plan.environment = try bindings.renderEnvironment(spec.env, workload: name, keyPath: "\(keyPath).env")
        plan.ports = spec.ports.map {
            PlannedPort(name: $0.name, container: $0.container, host: $0.host ?? 0, hostIP: $0.hostIP, protocol: $0.protocol)
        }
        if let debug = spec.debug {
            plan.debugPort = debug.port
            if !plan.ports.contains(where: { $0.container == debug.port }) {
                plan.ports.append(PlannedPort(name: "debug", container: debug.port, protocol: .tcp))
            }
        }
        plan.resources = PlannedResources(
            nanoCpus: spec.resources.cpus.map { Int64(($0 * 1_000_000_000).rounded()) },
            memoryBytes: spec.resources.memoryBytes.map(Int64.init),
            gpus: spec.resources.gpus)
        plan.readiness = spec.readiness
        plan.liveness = spec.liveness
        plan.startup = spec.startup
        plan.replicas = max(1, spec.replicas)
        plan.volumes = try spec.volumes.enumerated().map { (index, volume) throws(WorkloadPlanError) in
            try plannedVolume(volume, workload: name, project: project.name, projectRoot: projectRoot,
                              keyPath: "\(keyPath).volumes[\(index)]")
        }
        plan.sidecars = try spec.sidecars.map { (sidecar) throws(WorkloadPlanError) in
            let sidecarPath = "\(keyPath).sidecars.\(sidecar.name)"
            return PlannedSidecar(
                name: sidecar.name, image: sidecar.image,
                entrypoint: try bindings.render(sidecar.entrypoint, workload: name, keyPath: "\(sidecarPath).entrypoint"),
                command: try bindings.render(sidecar.command, workload: name, keyPath: "\(sidecarPath).command"),
                environment: try bindings.renderEnvironment(sidecar.env, workload: name, keyPath: "\(sidecarPath).env"))
        }
        plan.stopGraceMs = spec.stopGraceMs
        plan.wrapWithSupervisor = wrapWithSupervisor
        if wrapWithSupervisor {
            // The live-update channel, on loopback only (wbuild talks to it from the host).
            plan.ports.append(PlannedPort(name: PlannedPort.supervisorName, container: SupervisorBinary.defaultPort, protocol: .tcp))
        }
        return plan
    }

    /// The engine volume name of a named volume: `wbuild-<project>-<name>`.
    public static func volumeName(project: String, name: String) -> String {
        "wbuild-\(project)-\(name)"
    }

    private static func plannedVolume(_ volume: VolumeSpec, workload: String, project: String, projectRoot: String,
                                      keyPath: String) throws(WorkloadPlanError) -> PlannedVolume {
        switch volume.source {
        case .named(let name):
            return PlannedVolume(source: .named(volumeName(project: project, name: name)), target: volume.target,
                                 readOnly: volume.readOnly)
        case .hostPath(let path):
            let absolute = ProjectLayout(root: projectRoot).absolute(path)
            do {
                try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
            } catch {
                throw WorkloadPlanError(workload: workload, message: "\(keyPath): cannot create \(absolute): \(error.localizedDescription)",
                                        hint: "create the directory or fix its permissions")
            }
            return PlannedVolume(source: .hostPath(absolute), target: volume.target, readOnly: volume.readOnly)
        }
    }
}

extension WorkloadSpec {
    /// The reference of a pulled image (`image:` in the spec); nil for built images.
    var imageReference: String? {
        if case .image(let reference) = source { return reference }
        return nil
    }
}
