import WBuildCore
import WBuildDocker
import WBuildFiles
import WBuildRender
import WBuildSpec
import WBuildSystem
#if canImport(Glibc)
import Glibc
#endif

/// A project's spec turned into the build graph, plus what the watch loop needs to map
/// changed paths to nodes.
///
/// Nodes: `source:NAME` for each task's input set and each image's build context, `task:NAME`
/// for each `cmd` task, `image:NAME` for each workload (built or pulled), and — when a
/// `ServeSupervisor` is given (`watch`) — `serve:NAME` for each `serve` task; when workloads
/// run and any has routes, `router:<project>` (`RouterRule`), which each routed workload
/// consumes; with `PublishServices`, `publish:NAME` for each built image (`PublishRule`),
/// consuming `image:NAME`; with `RenderServices`, `manifest:TARGET` per target (`ManifestRule`),
/// consuming every `image:NAME`. Edges:
/// a task consumes its source; `dependsOn` entries; a task whose declared outputs fall inside
/// another node's inputs feeds that node's source (so `assets` runs before what reads `web/dist`).
/// A node's own outputs are excluded from its own inputs, so a task never retriggers itself.
public struct ProjectGraph: Sendable {
    public let spec: ProjectSpec
    public let layout: ProjectLayout
    public let graph: BuildGraph
    /// Every source node's rule, for mapping watcher paths to nodes.
    public let sources: [NodeID: SourceRule]
    /// The engine client, when the project has workloads.
    public let docker: DockerClient?

    public static func build(spec: ProjectSpec, layout: ProjectLayout, docker: DockerClient? = nil,
                             serveSupervisor: ServeSupervisor? = nil,
                             workloads: WorkloadServices? = nil,
                             publishing: PublishServices? = nil,
                             rendering: RenderServices? = nil) throws(ProjectGraphError) -> ProjectGraph {
        var nodes: [BuildGraph.Node] = []
        var sources: [NodeID: SourceRule] = [:]
        var taskIDs = Set<String>()

        for task in spec.tasks where task.command != nil {
            taskIDs.insert(task.name)
        }
        for task in spec.tasks {
            let isServe = task.command == nil
            guard let command = task.command ?? task.serve else { continue }
            if isServe && serveSupervisor == nil { continue }  // `serve` tasks run only in watch
            let taskID = NodeID(kind: isServe ? "serve" : "task", name: task.name)
            var inputs: [NodeID] = []
            if !task.inputs.isEmpty {
                let sourceID = NodeID(kind: "source", name: task.name)
                let ignorePatterns = spec.watch.ignore + task.ignore + task.outputs
                let sourceSet: SourceSet
                do {
                    sourceSet = try SourceSet(root: layout.root, includePatterns: task.inputs,
                                              ignoreRules: try IgnoreRules(patterns: ignorePatterns))
                } catch {
                    throw ProjectGraphError("tasks.\(task.name): \(error)")
                }
                let rule = SourceRule(sourceSet: sourceSet, projectPrefix: "", cachePath: layout.sourceCache(task.name))
                sources[sourceID] = rule
                nodes.append(BuildGraph.Node(id: sourceID, inputs: [], rule: rule))
                inputs.append(sourceID)
            }
            for dependency in task.dependsOn {
                switch dependency.kind {
                case .task where taskIDs.contains(dependency.name):
                    inputs.append(NodeID(kind: "task", name: dependency.name))
                case .task:
                    // A serve task: waited for in `watch` (started first); `once` starts no servers.
                    if serveSupervisor != nil { inputs.append(NodeID(kind: "serve", name: dependency.name)) }
                case .workload:
                    inputs.append(NodeID(kind: "image", name: dependency.name))
                }
            }
            let definition = TaskDefinition(
                name: task.name, command: command.processCommand,
                directory: layout.absolute(task.dir ?? "."),
                environment: task.env.map { ($0.key, $0.value) }, outputs: task.outputs, projectRoot: layout.root)
            let rule: any NodeRule
            if isServe, let serveSupervisor {
                rule = ServeRule(definition, supervisor: serveSupervisor)
            } else {
                rule = TaskRule(definition, outputCachePath: layout.outputCache(task.name))
            }
            nodes.append(BuildGraph.Node(id: taskID, inputs: inputs, rule: rule))
        }

        var engineClient: DockerClient?
        if !spec.workloads.isEmpty {
            let client: DockerClient
            if let docker {
                client = docker
            } else {
                do {
                    client = try DockerClient()
                } catch {
                    throw ProjectGraphError(error.description)
                }
            }
            engineClient = client
            let routed = workloads != nil && spec.hasRoutes
            if routed, let workloads {
                nodes.append(BuildGraph.Node(id: RouterRule.nodeID(project: spec.name), inputs: [],
                                             rule: RouterRule(spec: spec, layout: layout, runtime: workloads.runtime)))
            }
            for workload in spec.workloads {
                nodes += try imageNodes(for: workload, spec: spec, layout: layout, client: client, sources: &sources)
                if let publishing, case .build = workload.source {
                    let destination = PublishDestination(registry: publishing.settings.registry, workload: workload.name,
                                                         tag: publishing.settings.tag, extraTags: publishing.settings.extraTags)
                    nodes.append(BuildGraph.Node(id: PublishRule.nodeID(workload: workload.name),
                                                 inputs: [NodeID(kind: "image", name: workload.name)],
                                                 rule: PublishRule(destination: destination, client: client,
                                                                   credentials: publishing.credentials)))
                }
                if let workloads {
                    var node = workloadNode(for: workload, spec: spec, layout: layout, services: workloads)
                    if routed, !workload.routes.isEmpty {
                        node = BuildGraph.Node(id: node.id, inputs: node.inputs + [RouterRule.nodeID(project: spec.name)], rule: node.rule)
                    }
                    nodes.append(node)
                }
            }
        }
        if let rendering, engineClient != nil {
            let images = spec.workloads.map { NodeID(kind: "image", name: $0.name) }
            for manifest in rendering.manifests {
                nodes.append(BuildGraph.Node(id: ManifestRule.nodeID(manifest.renderer.target), inputs: images,
                                             rule: ManifestRule(renderer: manifest.renderer, spec: spec, folder: manifest.folder,
                                                                kubeVersion: rendering.kubeVersion,
                                                                readPublished: rendering.readPublished)))
            }
        }
        let outputEdges = Self.outputEdges(spec: spec, sources: sources)
        nodes = addOutputEdges(nodes, outputEdges)
        do {
            return ProjectGraph(spec: spec, layout: layout, graph: try BuildGraph(nodes), sources: sources, docker: engineClient)
        } catch {
            if case .cycle(let cycle) = error, let diagnostic = OutputCycle.diagnostic(cycle, edges: outputEdges, spec: spec) {
                throw ProjectGraphError(diagnostic)
            }
            throw ProjectGraphError(error.description)
        }
    }

    /// `image:NAME` (pulled, or built from a `source:NAME` context scanned after `.dockerignore`).
    private static func imageNodes(for workload: WorkloadSpec, spec: ProjectSpec, layout: ProjectLayout,
                                   client: DockerClient, sources: inout [NodeID: SourceRule]) throws(ProjectGraphError) -> [BuildGraph.Node] {
        let imageID = NodeID(kind: "image", name: workload.name)
        switch workload.source {
        case .image(let reference):
            return [BuildGraph.Node(id: imageID, inputs: [], rule: ImagePullRule(reference: reference, client: client))]
        case .build(let build):
            try ProjectPathCheck.checkBuild(build, workload: workload.name, layout: layout, locations: spec.locations)
            let contextDirectory = layout.absolute(build.context)
            let ignorePath = contextDirectory + "/.dockerignore"
            let ignore: IgnoreRules
            do {
                ignore = FileManagerLite.exists(ignorePath) ? try IgnoreRules.load(file: ignorePath) : .none
            } catch {
                throw ProjectGraphError("workloads.\(workload.name).build: \(error)")
            }
            let relative = contextDirectory == layout.root ? "" : String(contextDirectory.dropFirst(layout.root.count + 1)) + "/"
            let sourceID = NodeID(kind: "source", name: workload.name)
            let contextIgnore = ignore.excluding(secretFiles: spec.secretFiles, contextPrefix: relative)
            let source = SourceRule(sourceSet: .buildContext(root: contextDirectory, ignoreRules: contextIgnore),
                                    projectPrefix: relative, cachePath: layout.sourceCache(workload.name))
            sources[sourceID] = source
            let definition = ImageDefinition(
                project: spec.name, workload: workload.name, contextDirectory: contextDirectory,
                dockerfile: layout.absolute(build.dockerfile ?? (build.context + "/Dockerfile")),
                buildArgs: Dictionary(build.args.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }),
                secretArgs: build.secretArgs, projectRoot: layout.root, target: build.target, keep: spec.images.keep)
            return [
                BuildGraph.Node(id: sourceID, inputs: [], rule: source),
                BuildGraph.Node(id: imageID, inputs: [sourceID], rule: ImageBuildRule(definition, source: source, client: client)),
            ]
        }
    }

    /// `workload:NAME`: consumes its image, the images its `${x.image}` bindings name, and the
    /// workloads it depends on or binds to (so they are ready first).
    private static func workloadNode(for workload: WorkloadSpec, spec: ProjectSpec, layout: ProjectLayout,
                                     services: WorkloadServices) -> BuildGraph.Node {
        var inputs = [NodeID(kind: "image", name: workload.name)]
        for reference in workload.bindingReferences where reference.workload != workload.name {
            switch reference.field {
            case .image: inputs.append(NodeID(kind: "image", name: reference.workload))
            default: inputs.append(NodeID(kind: "workload", name: reference.workload))
            }
        }
        for dependency in workload.dependsOn {
            switch dependency.kind {
            case .workload: inputs.append(NodeID(kind: "workload", name: dependency.name))
            case .task where spec.task(named: dependency.name)?.command != nil: inputs.append(NodeID(kind: "task", name: dependency.name))
            case .task: if services.includesServe { inputs.append(NodeID(kind: "serve", name: dependency.name)) }
            }
        }
        let rule = WorkloadRule(spec: workload, project: spec, projectRoot: layout.root, runtime: services.runtime,
                                readyTimeout: services.readyTimeout, beforeStart: services.beforeStart, afterUp: services.afterUp)
        return BuildGraph.Node(id: NodeID(kind: "workload", name: workload.name), inputs: Array(Set(inputs)).sorted(), rule: rule)
    }

    /// The `workload:NAME` rules, for the watch loop and shutdown.
    public var workloadRules: [String: WorkloadRule] {
        var rules: [String: WorkloadRule] = [:]
        for id in graph.order where id.kind == "workload" {
            if let rule = graph.node(id)?.rule as? WorkloadRule { rules[id.name] = rule }
        }
        return rules
    }

    /// The router's rule, when the graph has one.
    public var routerRule: RouterRule? {
        graph.node(RouterRule.nodeID(project: spec.name))?.rule as? RouterRule
    }

    /// A task output inside another node's inputs is an edge from the task to that node's source;
    /// each edge remembers the first output that makes it, for reporting a cycle.
    private static func outputEdges(spec: ProjectSpec, sources: [NodeID: SourceRule]) -> [OutputEdge] {
        var edges: [OutputEdge] = []
        for task in spec.tasks where task.command != nil && !task.outputs.isEmpty {
            for (sourceID, rule) in sources.sorted(by: { $0.key < $1.key }) where sourceID.name != task.name {
                if let index = task.outputs.firstIndex(where: { rule.covers(Self.literalPrefix(of: $0)) }) {
                    edges.append(OutputEdge(source: sourceID, task: task.name, outputIndex: index))
                }
            }
        }
        return edges
    }

    private static func addOutputEdges(_ nodes: [BuildGraph.Node], _ edges: [OutputEdge]) -> [BuildGraph.Node] {
        var extraInputs: [NodeID: [NodeID]] = [:]
        for edge in edges { extraInputs[edge.source, default: []].append(NodeID(kind: "task", name: edge.task)) }
        return nodes.map { node in
            guard let extra = extraInputs[node.id] else { return node }
            return BuildGraph.Node(id: node.id, inputs: node.inputs + extra.sorted(), rule: node.rule)
        }
    }

    /// The directory part of an output pattern before its first wildcard (`web/dist/**` → `web/dist`).
    static func literalPrefix(of pattern: String) -> String {
        var parts: [Substring] = []
        for part in pattern.split(separator: "/") {
            if part.contains(where: { "*?[".contains($0) }) { break }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// The image nodes built from the Dockerfile at `projectPath` (a Dockerfile outside its
    /// context, or one its `.dockerignore` excludes, is in no source, yet changes the image).
    public func images(usingDockerfile projectPath: String) -> [NodeID] {
        let absolute = layout.root + "/" + projectPath
        return graph.order.filter { id in
            id.kind == "image" && (graph.node(id)?.rule as? ImageBuildRule)?.definition.dockerfile == absolute
        }
    }

    /// Whether `projectPath` lies inside a `cmd` task's declared outputs.
    public func isDeclaredOutput(_ projectPath: String) -> Bool {
        spec.tasks.contains { task in
            task.command != nil && task.outputs.contains { output in
                let prefix = Self.literalPrefix(of: output)
                return projectPath == prefix || projectPath.hasPrefix(prefix + "/")
            }
        }
    }

    /// The source nodes whose files could include `projectPath`.
    public func sources(covering projectPath: String) -> [NodeID] {
        sources.filter { $0.value.covers(projectPath) }.map(\.key).sorted()
    }
}

/// The spec describes a graph that cannot be built (a cycle through task outputs, a path that
/// leaves the project, a bad pattern).
public struct ProjectGraphError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The problem at its place in the project file (`file:line:col: key.path: …`), when it has one.
    public let diagnostic: SpecDiagnostic?

    public init(_ description: String) {
        self.description = description
        diagnostic = nil
    }

    public init(_ diagnostic: SpecDiagnostic) {
        description = diagnostic.description
        self.diagnostic = diagnostic
    }
}

extension TaskCommand {
    var processCommand: ProcessCommand {
        switch self {
        case .shell(let script): return .shell(script)
        case .argv(let argv): return .argv(argv)
        }
    }
}

/// `access(2)`-based existence check (Foundation-free).
enum FileManagerLite {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// What workload nodes need: the runtime that runs containers, how long `up` waits for
/// readiness, whether `serve` tasks are in the graph, and the hook run before a container starts.
public struct WorkloadServices: Sendable {
    public let runtime: WorkloadRuntime
    public let readyTimeout: Duration
    public let includesServe: Bool
    public let beforeStart: @Sendable (WorkloadPlan, String) async throws -> Void
    public let afterUp: @Sendable (WorkloadPlan, WorkloadState) async throws -> Void

    public init(runtime: WorkloadRuntime, readyTimeout: Duration, includesServe: Bool,
                beforeStart: @escaping @Sendable (WorkloadPlan, String) async throws -> Void = { _, _ in },
                afterUp: @escaping @Sendable (WorkloadPlan, WorkloadState) async throws -> Void = { _, _ in }) {
        self.runtime = runtime
        self.readyTimeout = readyTimeout
        self.includesServe = includesServe
        self.beforeStart = beforeStart
        self.afterUp = afterUp
    }
}

/// What `publish:NAME` nodes need: where they push (wbuild.json's `publish`, its registry
/// replaced by `--registry` when given) and the credentials to push with.
public struct PublishServices: Sendable {
    public let settings: PublishSettings
    public let credentials: RegistryLogins

    public init(settings: PublishSettings, credentials: RegistryLogins = RegistryLogins()) {
        self.settings = settings
        self.credentials = credentials
    }
}

/// What `manifest:TARGET` nodes need: a renderer and a folder per target, the cluster version
/// to render for, and where the published digests are read from.
public struct RenderServices: Sendable {
    /// One target's renderer and its output folder (absolute).
    public struct Manifest: Sendable {
        public let renderer: any Renderer
        public let folder: String

        public init(renderer: any Renderer, folder: String) {
            self.renderer = renderer
            self.folder = folder
        }
    }

    public let manifests: [Manifest]
    public let kubeVersion: KubernetesVersion?
    public let readPublished: @Sendable () -> [String: PublishedImage]

    public init(manifests: [Manifest], kubeVersion: KubernetesVersion?,
                readPublished: @escaping @Sendable () -> [String: PublishedImage]) {
        self.manifests = manifests
        self.kubeVersion = kubeVersion
        self.readPublished = readPublished
    }
}
