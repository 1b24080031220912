import WBuildRouter
import WBuildSpec

/// `--target terraform`: what a user's own Terraform needs to deploy the app with its own
/// providers — a module with no provider of its own:
/// - `variables.tf.json`: `images` (workload → `repo@sha256:…`), defaulting to this rendering's
///   refs, so `module "shop" { source = "./.wbuild/out/terraform" }` works as it is;
/// - `wbuild.auto.tfvars.json`: the same refs, loaded automatically when the folder is the root
///   module (or copied next to one);
/// - `locals.tf.json` and `outputs.tf.json`: `images`, `routes` (host, path, match, workload,
///   strip_prefix) and `services` (name → ports by name, protocol).
public struct TerraformModuleRenderer: Renderer {
    public let target = RenderTarget.terraform

    public init() {}

    public func render(_ input: RenderInput) throws(RenderError) -> Rendering {
        let spec = input.spec
        var images = RenderMap()
        for workload in spec.workloads {
            images.set(workload.name, .string(input.image(of: workload).reference))
        }
        let variables: RenderValue = ["variable": ["images": [
            "description": .string("The image each workload of \(spec.name) runs, by name: repo@sha256:… once published."),
            "type": "map(string)",
            "default": .map(images),
        ]]]
        let tfvars: RenderValue = ["images": .map(images)]
        let locals: RenderValue = ["locals": ["routes": .list(routes(spec)), "services": services(spec)]]
        let outputs: RenderValue = ["output": [
            "images": ["description": "Image reference per workload.", "value": "${var.images}"],
            "routes": ["description": "The app's routes: host, path, match, workload, strip_prefix.", "value": "${local.routes}"],
            "services": ["description": "Per workload: its service name and ports by name (port, protocol).", "value": "${local.services}"],
        ]]
        return Rendering(target: .terraform, files: [
            RenderedFile(path: "wbuild.auto.tfvars.json", contents: JSONEmitter.document(tfvars)),
            RenderedFile(path: "variables.tf.json", contents: JSONEmitter.document(variables)),
            RenderedFile(path: "locals.tf.json", contents: JSONEmitter.document(locals)),
            RenderedFile(path: "outputs.tf.json", contents: JSONEmitter.document(outputs)),
        ], warnings: PortabilityChecks.localImageWarnings(input))
    }

    /// Routes in declaration order (the router's precedence does not depend on it).
    private func routes(_ spec: ProjectSpec) -> [RenderValue] {
        spec.workloads.flatMap(\.routes).map { rule in
            [
                "host": rule.host.map(RenderValue.string) ?? .null,
                "path": .string(rule.path),
                "match": .string(rule.match.rawValue),
                "workload": .string(rule.workload),
                "strip_prefix": .bool(rule.stripPrefix),
            ]
        }
    }

    private func services(_ spec: ProjectSpec) -> RenderValue {
        var services = RenderMap()
        for workload in spec.workloads {
            var ports = RenderMap()
            for (index, port) in workload.ports.enumerated() {
                ports.set(port.name ?? "port\(index)", ["port": .integer(port.container), "protocol": .string(port.protocol.rawValue)])
            }
            services.set(workload.name, ["name": .string(workload.name), "ports": .map(ports)])
        }
        return .map(services)
    }
}
