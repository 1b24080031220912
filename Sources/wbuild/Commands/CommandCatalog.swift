/// Every command: its name, one-line summary, usage and accepted flags. `help` and the
/// parser both read this table, so the help text cannot drift from what is accepted.
struct CommandInfo {
    let name: String
    let summary: String
    let usage: String
    let details: String
    let flags: [FlagSpec]
}

enum CommandCatalog {
    static let file = FlagSpec(long: "file", short: "f", takesValue: true, help: "project file (default: wbuild.json here or in the nearest parent)", valueName: "PATH")
    static let json = FlagSpec(long: "json", short: nil, takesValue: false, help: "machine output: one JSON object per line")
    static let verbose = FlagSpec(long: "verbose", short: "v", takesValue: false, help: "show cached nodes and more detail")
    static let help = FlagSpec(long: "help", short: "h", takesValue: false, help: "show this help")
    static let jobs = FlagSpec(long: "jobs", short: "j", takesValue: true, help: "run at most N nodes at once (default: cores)", valueName: "N")
    static let force = FlagSpec(long: "force", short: nil, takesValue: false, help: "run nodes even when up to date")
    static let format = FlagSpec(long: "format", short: nil, takesValue: true, help: "text (default), dot or json", valueName: "FORMAT")
    static let common = [file, json, verbose, help]
    static let timeout = FlagSpec(long: "timeout", short: nil, takesValue: true, help: "seconds to wait for each workload to be ready (default 120)", valueName: "SECONDS")
    static let volumes = FlagSpec(long: "volumes", short: nil, takesValue: false, help: "also remove the project's named volumes")
    static let tail = FlagSpec(long: "tail", short: "n", takesValue: true,
                               help: "the last N lines of each container (`all` for every line; -f: 10 unless --since)", valueName: "N")
    static let since = FlagSpec(long: "since", short: nil, takesValue: true, help: "lines written in the last DURATION (30s, 5m, 2h, 1h30m)",
                                valueName: "DURATION")
    static let timestamps = FlagSpec(long: "timestamps", short: "t", takesValue: false, help: "show when each line was written")
    static let replica = FlagSpec(long: "replica", short: nil, takesValue: true, help: "which replica (default 0)", valueName: "N")
    static let follow = FlagSpec(long: "follow", short: "f", takesValue: false, help: "keep following, across container replacements")
    static let explain = FlagSpec(long: "explain", short: nil, takesValue: true,
                                  help: "which route takes a request: --explain METHOD PATH (exit 1 when none does)", valueName: "METHOD")
    static let registry = FlagSpec(long: "registry", short: nil, takesValue: true,
                                   help: "push here instead of publish.registry, e.g. 127.0.0.1:5000/shop", valueName: "REGISTRY")
    static let target = FlagSpec(long: "target", short: nil, takesValue: true, help: "kubernetes, helm, terraform or swarm", valueName: "TARGET")
    static let out = FlagSpec(long: "out", short: "o", takesValue: true, help: "write here (default: .wbuild/out/TARGET)", valueName: "DIR")
    static let values = FlagSpec(long: "values", short: nil, takesValue: true, help: "check a Helm values file against the chart's schema", valueName: "FILE")
    static let kubeVersion = FlagSpec(long: "kube-version", short: nil, takesValue: true,
                                      help: "the cluster's Kubernetes version, e.g. 1.20 (default: a current one)", valueName: "VERSION")
    static let deployTarget = FlagSpec(long: "target", short: nil, takesValue: true, help: "the cluster: swarm, kubernetes or helm", valueName: "TARGET")
    static let kubeContext = FlagSpec(long: "context", short: nil, takesValue: true,
                                      help: "the kube context (kubernetes, helm; default: kubernetes.cluster.context, else the current one)", valueName: "NAME")
    static let doctorTarget = FlagSpec(long: "target", short: nil, takesValue: true, help: "also check a cluster: swarm, kubernetes or helm", valueName: "TARGET")
    static let wait = FlagSpec(long: "wait", short: nil, takesValue: false, help: "wait until everything changed is ready (the default)")
    static let plan = FlagSpec(long: "plan", short: nil, takesValue: false, help: "print what would be created, updated, removed or left; change nothing")
    static let noWait = FlagSpec(long: "no-wait", short: nil, takesValue: false, help: "return once the changes are made, without waiting for convergence")
    static let initSwarm = FlagSpec(long: "init", short: nil, takesValue: false, help: "make an engine that is in no swarm a one-node swarm first")
    static let deployTimeout = FlagSpec(long: "timeout", short: nil, takesValue: true, help: "seconds to wait for every service to converge (default 180)", valueName: "SECONDS")
    static let host = FlagSpec(long: "host", short: nil, takesValue: true, help: "the request's Host header, with --explain", valueName: "HOST")
    /// `logs` gives `-f` to `--follow` (as `docker logs` does); its project file is `--file` only.
    static let fileLongOnly = FlagSpec(long: "file", short: nil, takesValue: true, help: "project file (default: wbuild.json here or in the nearest parent)", valueName: "PATH")

    static let commands: [CommandInfo] = [
        CommandInfo(name: "once", summary: "bring tasks and images up to date once, then exit",
                    usage: "wbuild once [TARGET…] [-j N] [--force] [--json]",
                    details: """
                    Runs every node whose inputs changed since its last success and skips the rest.
                    TARGET is a workload or task name (a workload means its image and what it needs),
                    or a node id (image:api, task:assets); without targets, everything.
                    Exit 0 when every node is built or cached, 1 when one failed (its dependents are
                    blocked; independent nodes still run), 2 for a bad project file or target.
                    With --json the last line is {"type":"result","ok":…,"nodes":[…]}.
                    """,
                    flags: common + [jobs, force]),
        CommandInfo(name: "up", summary: "once, then start or replace the workloads and wait until they are ready",
                    usage: "wbuild up [TARGET…] [--timeout SECONDS] [-j N] [--json]",
                    details: """
                    Builds what is stale, then brings every workload's containers to its current
                    configuration: containers already running with it are left alone; changed ones are
                    replaced without going dark (the new one is ready before the old one stops).
                    Containers of workloads no longer in the project are removed. Exits 0 when every
                    workload is ready, 1 otherwise (with the failing workload and its last log lines);
                    the containers keep running — `wbuild down` removes them.
                    TARGET is a workload (with its image and the workloads and tasks it needs), a task,
                    or a node id (image:api, task:assets); an unknown target is exit 2.
                    """,
                    flags: common + [jobs, force, timeout]),
        CommandInfo(name: "restart", summary: "restart workloads: new replicas, or just the process for live-updated ones",
                    usage: "wbuild restart WORKLOAD… [--timeout SECONDS] [--json]",
                    details: """
                    Brings what the workloads need up to date (as `up` does), then restarts each one named.
                    A workload with liveUpdate rules restarts its process only, through wbuild's supervisor:
                    the container, the files synced into it and its URL stay. Any other workload gets new
                    replicas, swapped in behind its front door without going dark: the old ones serve
                    until the new ones are ready. Exit 0 when every one is ready again, 1 otherwise.
                    """,
                    flags: common + [jobs, timeout]),
        CommandInfo(name: "exec", summary: "run a command in a running replica of a workload",
                    usage: "wbuild exec WORKLOAD [--replica N] -- CMD [ARG…]",
                    details: """
                    Runs CMD in replica N (default 0) of the workload, attached to this terminal: with a
                    TTY when stdin is one (so `wbuild exec api -- sh` is a shell), plain pipes otherwise
                    (`echo hi | wbuild exec api -- cat`). Exits with the command's exit code.
                    """,
                    flags: [file, verbose, help, replica]),
        CommandInfo(name: "down", summary: "remove the project's containers and network (--volumes: volumes too)",
                    usage: "wbuild down [--volumes]",
                    details: "Removes everything labelled dev.wbuild.project=<name>. Nothing to remove is fine (exit 0).",
                    flags: common + [volumes, deployTarget, kubeContext]),
        CommandInfo(name: "status", summary: "workloads, replicas, health, URLs; each image's state and when, and why it last ran",
                    usage: "wbuild status [WORKLOAD…] [--json]",
                    details: "Reads the engine, so it works while another wbuild runs.",
                    flags: common + [deployTarget, kubeContext]),
        CommandInfo(name: "logs", summary: "container logs, prefixed by workload and replica",
                    usage: "wbuild logs [WORKLOAD] [-f] [--tail N] [--since DURATION] [--timestamps]",
                    details: """
                    stdout and stderr stay apart (stderr on stderr). With -f, starts from the last 10 lines
                    of each container (or --tail / --since) and follows across container replacements until
                    Ctrl-C; a replica that starts meanwhile is shown from its start.
                    """,
                    flags: [fileLongOnly, json, verbose, help, follow, tail, since, timestamps]),
        CommandInfo(name: "watch", summary: "keep tasks, images and workloads up to date as files change, until Ctrl-C",
                    usage: "wbuild watch [TARGET…] [-j N] [--json]",
                    details: """
                    Runs what is stale, then watches the project: each settled batch of changes re-runs
                    exactly the nodes downstream of the changed files; a change that arrives while an
                    affected task runs cancels it (SIGTERM, then SIGKILL) and runs it again with the new
                    inputs. `serve` tasks are started and restarted when their inputs change, and with
                    backoff when they crash. Editing wbuild.json reloads the graph; an invalid edit is
                    reported and the last good graph keeps running. Ctrl-C or SIGTERM stops everything
                    wbuild started and exits 0.
                    """,
                    flags: common + [jobs]),
        CommandInfo(name: "graph", summary: "print the whole graph (tasks, images, workloads and their edges) with each node's last state",
                    usage: "wbuild graph [--format text|dot|json]",
                    details: """
                    Shows every node — sources, tasks, serve tasks, images and workloads — what it consumes (←),
                    what consumes it (→), and why it last ran or did not. --format dot draws the whole graph
                    for Graphviz (`wbuild graph --format dot | dot -Tsvg > graph.svg`). Runs nothing.
                    """,
                    flags: common + [format]),
        CommandInfo(name: "routes", summary: "the project's routes in the order they are tried; --explain which one takes a request",
                    usage: "wbuild routes [--explain METHOD PATH [--host HOST]] [--json]",
                    details: """
                    Lists each route as host+path (match) → workload:port, in precedence order: exact hosts,
                    then *. wildcards, then any host; then the longest path; then exact before prefix.
                    `wbuild routes --explain GET /api/users --host api.localhost` says which route takes that
                    request and why each other does not: exit 0 when one does, 1 when none does (the router
                    answers 404). Reads wbuild.json only. With --json, one object: {"routes":[…]}, or with
                    --explain {"matched":…,"rules":[{"rule","verdict","why"}]}.
                    """,
                    flags: common + [explain, host]),
        CommandInfo(name: "publish", summary: "build what is stale, then push the images the registry lacks",
                    usage: "wbuild publish [WORKLOAD…] [--registry HOST[:PORT]/PATH] [-j N] [--json]",
                    details: """
                    Pushes each built workload's image (only the named ones with WORKLOAD) to
                    publish.registry/<workload>:<tag> through the engine, tag from publish.tag (default: the
                    image's fingerprint), then publish.extraTags. The registry decides: a tag it has with the
                    same digest is skipped (also after `rm -rf .wbuild`), a missing one is pushed, one that
                    points at another digest is a conflict and never overwritten. Logins are the Docker CLI's
                    (`docker login`). Writes .wbuild/out/images.json ({"builds":[{"imageName","tag":"repo:tag@sha256:…"}]}).
                    Exit 0 when every image is in the registry, 1 when one failed or the registry is unreachable,
                    2 for a bad target or no registry, 3 without an engine.
                    """,
                    flags: common + [jobs, registry]),
        CommandInfo(name: "render", summary: "write Kubernetes, Helm, Terraform or Swarm files for the app",
                    usage: "wbuild render --target kubernetes|helm|terraform|swarm [--out DIR] [--values FILE] [--kube-version V] [--json]",
                    details: """
                    Builds what is stale (so each image reference is exact), then writes the target's files
                    into .wbuild/out/TARGET (or DIR). Images are repo@sha256:… from .wbuild/out/images.json
                    when `wbuild publish` pushed the very image the workload builds now; otherwise the local
                    tag, with a warning that only a cluster sharing this engine can run it. The same spec
                    and images always give the same bytes; files that already hold them are not rewritten,
                    and files an earlier render wrote that are no longer rendered are removed (never others).
                    What a target cannot express (a host folder mount, a route that strips its prefix without
                    a way to do so) is an error at its wbuild.json key path, exit 1.
                    Exit 0 when the files are written or already up to date, 1 when they cannot be rendered,
                    2 for a bad option, 3 without an engine.
                    """,
                    flags: common + [target, out, values, kubeVersion, jobs]),
        CommandInfo(name: "deploy", summary: "make a Docker Swarm or a Kubernetes cluster (kubectl or Helm) run the app",
                    usage: "wbuild deploy --target swarm|kubernetes|helm [--context C] [--plan] [--wait|--no-wait] [--timeout SECONDS] [--kube-version V] [--registry R] [--init] [--json]",
                    details: """
                    Publishes what is stale (images pinned by digest), bakes wbuild's probe into images whose
                    readiness or liveness is an http or tcp check, creates the stack's overlay network and its
                    secrets (secretEnv, a new secret per value), then creates, updates or removes one service per
                    workload and sidecar on the swarm manager of DOCKER_HOST (or swarm.host), labelled as
                    `docker stack deploy` labels them. A service whose dev.wbuild.fingerprint matches is left
                    alone: a deploy with nothing changed makes no update. --plan prints create / update (with the
                    changed parts) / remove / unchanged and changes nothing. Waits until every changed service
                    runs its new tasks healthy, showing tasks per node; a failure names the task, its error and
                    the service's last log lines. Exit 0 when every service converged, 1 when one did not,
                    2 for a bad option, 3 without an engine. Routes are served by wbuild's router as a global
                    service published in host mode on router.port of every node (it finds each workload's
                    tasks by DNS: tasks.<stack>_<workload>).
                    --target kubernetes|helm: builds what is stale, renders for the cluster's version into
                    .wbuild/deploy/TARGET and deploys to the kube context of --context, kubernetes.cluster.context
                    or the kubeconfig. A context that does not look local (kind, k3d, minikube, docker-desktop,
                    a loopback server) is refused unless kubernetes.cluster.context names it. kubernetes:
                    `kubectl apply --server-side --field-manager=wbuild` of the objects whose dev.wbuild.fingerprint
                    differs from the live one, then a rollout wait per Deployment, then the project's objects no
                    longer rendered are pruned. helm: `helm upgrade --install --wait --atomic` unless the release
                    already runs this chart and these values. A failure names the pod and why (image pull, probe,
                    unschedulable) with its last log lines.
                    """,
                    flags: common + [deployTarget, plan, noWait, wait, deployTimeout, registry, initSwarm, kubeContext, kubeVersion]),
        CommandInfo(name: "doctor", summary: "check the engine, inotify limits and registry; say how to fix each",
                    usage: "wbuild doctor [--target swarm|kubernetes|helm [--context C]] [--json]",
                    details: """
                    --target swarm also checks the swarm manager deploy uses (swarm.host, else DOCKER_HOST), its
                    nodes, and whether this kernel has IPVS (without it Swarm's routing mesh does not answer;
                    wbuild's deploy does not need it). --target kubernetes|helm checks kubectl (and Helm), the
                    kube context and the connection instead. Exit 0 when every check passes (warnings allowed),
                    2 when the project file is invalid, 3 when another check fails.
                    """,
                    flags: common + [doctorTarget, kubeContext]),
        CommandInfo(name: "help", summary: "show help for a command", usage: "wbuild help [COMMAND]",
                    details: "", flags: [help]),
    ]

    static func command(_ name: String) -> CommandInfo? { commands.first { $0.name == name } }

    static var overview: String {
        let width = commands.map(\.name.count).max() ?? 0
        let lines = commands.map { "  \($0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\($0.summary)" }
        return """
        wbuild — a file-watching build graph for containerized apps

        usage: wbuild COMMAND [OPTIONS]

        commands:
        \(lines.joined(separator: "\n"))

        common options:
        \(flagLines(common))

        Run `wbuild help COMMAND` for a command's options; `wbuild --version` prints the
        version and the commit it was built from.
        Exit codes: 0 ok, 1 a node failed, 2 usage or project-file error, 3 container engine unavailable.
        """
    }

    static func usage(of command: CommandInfo) -> String {
        var text = "usage: \(command.usage)\n\n\(command.summary)\n"
        if !command.details.isEmpty { text += "\n\(command.details)\n" }
        if !command.flags.isEmpty { text += "\noptions:\n\(flagLines(command.flags))\n" }
        return text
    }

    static func flagLines(_ flags: [FlagSpec]) -> String {
        let rendered = flags.map { flag -> (String, String) in
            var left = flag.short.map { "-\($0), " } ?? "    "
            left += "--\(flag.long)"
            if flag.takesValue { left += " \(flag.valueName)" }
            return (left, flag.help)
        }
        let width = rendered.map(\.0.count).max() ?? 0
        return rendered.map { "  \($0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0))\($0.1)" }.joined(separator: "\n")
    }
}
