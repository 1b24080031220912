import WBuildSpec

/// `--target swarm`: `stack.yaml`, a compose file (version 3.8) that `docker stack deploy -c`
/// accepts by hand, with what Swarm can express of the spec.
///
/// - One service per workload on the stack's attachable overlay network, found by its name
///   (bindings resolve to service names), `endpoint_mode: dnsrr` so that nothing depends on
///   the IPVS routing mesh (absent on many kernels, this project's machines among them).
/// - Sidecars: Swarm has no pods, so each becomes a service of its own (`<workload>-<sidecar>`)
///   with the workload's replica count; it does not share the workload's network namespace
///   (a warning says so): `127.0.0.1` in it is itself, not the workload.
/// - `secretEnv` → external Swarm secrets mounted at `/run/secrets/<NAME>`; values are never
///   in the file (`docker secret create` or `wbuild deploy` supplies them).
/// - Routes are not in the file: the router is a service `wbuild deploy --target swarm` runs.
public struct SwarmStackRenderer: Renderer {
    public let target = RenderTarget.swarm

    public init() {}

    public func render(_ input: RenderInput) throws(RenderError) -> Rendering {
        let spec = input.spec
        var problems = PortabilityChecks.hostPathProblems(spec, target: .swarm, allowEmptyDir: false)
        var warnings = PortabilityChecks.localImageWarnings(input)
        var services = RenderMap()
        var volumes = RenderMap()
        var secrets = RenderMap()
        let stack = Self.stackName(spec)
        for workload in spec.workloads {
            let service = SwarmService(workload: workload, input: input, stack: stack)
            services.set(workload.name, service.main(problems: &problems, warnings: &warnings))
            for sidecar in workload.sidecars {
                services.set("\(workload.name)-\(sidecar.name)", service.sidecar(sidecar))
                warnings.append(SwarmSidecarNetwork.warning(sidecar, of: workload.name))
            }
            for volume in workload.volumes {
                if case .named(let name) = volume.source {
                    volumes.set(name, ["labels": .strings(ProjectLabels.labels(project: spec.name, workload: nil))])
                }
            }
            for secret in workload.secretEnv {
                secrets.set(SwarmService.secretKey(workload: workload.name, secret: secret.name),
                            ["external": true, "name": .string(SwarmService.secretName(stack: stack, workload: workload.name, secret: secret.name))])
            }
            if workload.autoscale != nil {
                warnings.append("\(workload.name) autoscales: Swarm has no autoscaler, so stack.yaml starts autoscale.min replicas")
            }
            if !workload.routes.isEmpty {
                warnings.append("\(workload.name)'s routes are not in stack.yaml: `wbuild deploy --target swarm` serves them through its router service")
            }
        }
        guard problems.isEmpty else { throw RenderError(target: .swarm, problems: problems) }
        var document = RenderMap()
        document.set("version", "3.8")
        document.set("services", .map(services))
        document.set("networks", ["default": [
            "driver": "overlay", "attachable": true,
            "labels": .strings(ProjectLabels.labels(project: spec.name, workload: nil)),
        ]])
        if !volumes.isEmpty { document.set("volumes", .map(volumes)) }
        if !secrets.isEmpty { document.set("secrets", .map(secrets)) }
        let header = "# The \(stack) stack, rendered by wbuild from wbuild.json: docker stack deploy -c stack.yaml \(stack)\n"
        return Rendering(target: .swarm,
                         files: [RenderedFile(path: "stack.yaml", contents: header + YAMLEmitter.document(.map(document)))],
                         warnings: warnings)
    }

    /// `swarm.stack`, else the project's name.
    public static func stackName(_ spec: ProjectSpec) -> String {
        spec.swarm?.stack ?? spec.name
    }
}
