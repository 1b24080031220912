import Testing
@testable import WBuildSpec

/// A file with one problem: the key path it must be reported at, and phrases of the message and hint.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let input: String
    let keyPath: String
    let message: String
    let hint: String?

    init(_ rule: String, _ input: String, at keyPath: String, _ message: String, hint: String? = nil) {
        self.rule = rule
        self.input = input
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    var testDescription: String { rule }
}

private func workloads(_ body: String) -> String { project(workloads: body) }

@Suite("Validation: each rule reports at its exact key path")
struct ValidationRuleTests {
    static let cases: [ValidationCase] = [
        // Wrong types
        ValidationCase("string where an integer belongs", workloads("{ api: { image: 'x', ports: [{ container: 'eighty' }] } }"),
                       at: "workloads.api.ports[0].container", #"expected an integer 1–65535, got "eighty""#),
        ValidationCase("number where a string belongs", "{ name: 5 }", at: "name", "expected a string, got 5"),
        ValidationCase("string where an array belongs", workloads("{ a: { image: 'x', routes: '/api' } }"),
                       at: "workloads.a.routes", #"expected an array `[ … ]`, got "/api""#),
        ValidationCase("array where an object belongs", "{ name: 'p', workloads: [] }", at: "workloads",
                       "expected an object `{ … }`, got an array"),
        ValidationCase("string where a bool belongs", workloads("{ a: { image: 'x', volumes: [{ name: 'v', target: '/v', readOnly: 'yes' }] } }"),
                       at: "workloads.a.volumes[0].readOnly", #"expected true or false, got "yes""#),
        ValidationCase("top level is not an object", "[1, 2]", at: "", "expected an object `{ … }`, got an array"),
        ValidationCase("env value is an object", workloads("{ a: { image: 'x', env: { A: { b: 1 } } } }"),
                       at: "workloads.a.env.A", "expected a string, got an object"),
        ValidationCase("fractional integer", workloads("{ a: { image: 'x', replicas: 1.5 } }"),
                       at: "workloads.a.replicas", "expected an integer 1–1000, got 1.5"),
        // Missing required keys
        ValidationCase("missing project name", "{ workloads: {} }", at: "name", "required key `name` is missing"),
        ValidationCase("missing build context", workloads("{ a: { build: { dockerfile: 'D' } } }"),
                       at: "workloads.a.build.context", "required key `context` is missing"),
        ValidationCase("missing container port", workloads("{ a: { image: 'x', ports: [{ name: 'http' }] } }"),
                       at: "workloads.a.ports[0].container", "required key `container` is missing"),
        ValidationCase("missing sidecar image", workloads("{ a: { image: 'x', sidecars: { m: {} } } }"),
                       at: "workloads.a.sidecars.m.image", "required key `image` is missing"),
        ValidationCase("missing registry", "{ name: 'p', publish: {} }", at: "publish.registry", "required key `registry` is missing"),
        // Out of range
        ValidationCase("container port too large", workloads("{ a: { image: 'x', ports: [{ container: 70000 }] } }"),
                       at: "workloads.a.ports[0].container", "expected an integer 1–65535, got 70000"),
        ValidationCase("host port negative", workloads("{ a: { image: 'x', ports: [{ container: 80, host: -1 }] } }"),
                       at: "workloads.a.ports[0].host", "expected an integer 0–65535, got -1"),
        ValidationCase("zero replicas", workloads("{ a: { image: 'x', replicas: 0 } }"),
                       at: "workloads.a.replicas", "expected an integer 1–1000, got 0"),
        ValidationCase("zero cpus", workloads("{ a: { image: 'x', resources: { cpus: 0 } } }"),
                       at: "workloads.a.resources.cpus", "expected a number of CPUs greater than 0"),
        ValidationCase("memory with an ambiguous unit", workloads("{ a: { image: 'x', resources: { memory: '256mb' } } }"),
                       at: "workloads.a.resources.memory", #"expected a memory size like "256Mi""#, hint: "write `Mi`"),
        ValidationCase("zero memory", workloads("{ a: { image: 'x', resources: { memory: 0 } } }"),
                       at: "workloads.a.resources.memory", "expected a memory size"),
        ValidationCase("gpus as a word other than all", workloads("{ a: { image: 'x', resources: { gpus: 'some' } } }"),
                       at: "workloads.a.resources.gpus", #"expected a number of GPUs 0–64 or "all", got "some""#),
        ValidationCase("negative stopGraceMs", workloads("{ a: { image: 'x', stopGraceMs: -5 } }"),
                       at: "workloads.a.stopGraceMs", "expected an integer 0–86400000, got -5"),
        ValidationCase("probe interval zero", workloads("{ a: { image: 'x', readiness: { tcp: { port: 1 }, intervalMs: 0 } } }"),
                       at: "workloads.a.readiness.intervalMs", "expected an integer 1–86400000, got 0"),
        ValidationCase("autoscale max below min", workloads("{ a: { image: 'x', autoscale: { min: 3, max: 2 } } }"),
                       at: "workloads.a.autoscale.max", "expected max ≥ min (3), got 2"),
        ValidationCase("replicas outside autoscale", workloads("{ a: { image: 'x', replicas: 9, autoscale: { min: 1, max: 3 } } }"),
                       at: "workloads.a.replicas", "replicas 9 is outside autoscale's 1–3"),
        ValidationCase("cpuPercent above 100", workloads("{ a: { image: 'x', autoscale: { min: 1, max: 3, cpuPercent: 150 } } }"),
                       at: "workloads.a.autoscale.cpuPercent", "expected an integer 1–100, got 150"),
        ValidationCase("debug port zero", workloads("{ a: { image: 'x', debug: { port: 0 } } }"),
                       at: "workloads.a.debug.port", "expected an integer 1–65535, got 0"),
        ValidationCase("maxDelayMs below settleMs", "{ name: 'p', watch: { settleMs: 500, maxDelayMs: 100 } }",
                       at: "watch.maxDelayMs", "expected maxDelayMs ≥ settleMs (500), got 100"),
        ValidationCase("keep zero images", "{ name: 'p', images: { keep: 0 } }", at: "images.keep", "expected an integer 1–1000, got 0"),
        // Choices
        ValidationCase("unknown protocol, with a suggestion", workloads("{ a: { image: 'x', ports: [{ container: 80, protocol: 'htp' }] } }"),
                       at: "workloads.a.ports[0].protocol", #"expected one of "http", "http2", "grpc", "tcp", got "htp""#,
                       hint: #"did you mean "http"?"#),
        ValidationCase("unknown restart policy", workloads("{ a: { build: { context: '.' }, liveUpdate: { restart: 'always' } } }"),
                       at: "workloads.a.liveUpdate.restart", #"expected one of "process", "container", "none", got "always""#),
        // Exactly one of
        ValidationCase("task with both cmd and serve", project(tasks: "{ t: { cmd: 'a', serve: 'b' } }"),
                       at: "tasks.t.serve", "expected only one of `cmd` or `serve`, found both"),
        ValidationCase("task with neither cmd nor serve", project(tasks: "{ t: { inputs: ['x'] } }"),
                       at: "tasks.t", "expected one of `cmd` or `serve`, found none"),
        ValidationCase("workload with both build and image", workloads("{ a: { build: { context: '.' }, image: 'x' } }"),
                       at: "workloads.a.image", "expected only one of `build` or `image`, found both"),
        ValidationCase("workload with neither build nor image", workloads("{ a: { replicas: 2 } }"),
                       at: "workloads.a", "expected one of `build` or `image`, found none"),
        ValidationCase("probe with no kind", workloads("{ a: { image: 'x', readiness: { intervalMs: 5 } } }"),
                       at: "workloads.a.readiness", "expected one of `http`, `tcp`, `exec`, found none"),
        ValidationCase("probe with two kinds", workloads("{ a: { image: 'x', liveness: { tcp: { port: 1 }, exec: { command: ['x'] } } } }"),
                       at: "workloads.a.liveness.exec", "expected only one of `http`, `tcp`, `exec`, found both `tcp` and `exec`"),
        ValidationCase("volume with source and name", workloads("{ a: { image: 'x', volumes: [{ source: '.', name: 'v', target: '/v' }] } }"),
                       at: "workloads.a.volumes[0].name", "expected only one of `source` or `name`"),
        // Unknown keys, with did-you-mean
        ValidationCase("misspelt workload key", workloads("{ a: { image: 'x', prots: [] } }"),
                       at: "workloads.a.prots", "unknown key `prots`", hint: "did you mean `ports`?"),
        ValidationCase("snake_case key", workloads("{ a: { image: 'x', depends_on: [] } }"),
                       at: "workloads.a.depends_on", "unknown key `depends_on`", hint: "did you mean `dependsOn`?"),
        ValidationCase("wrong case key", workloads("{ a: { image: 'x', hostIP: 1 } }"),
                       at: "workloads.a.hostIP", "unknown key `hostIP`", hint: "keys allowed here:"),
        ValidationCase("wrong case port key", workloads("{ a: { image: 'x', ports: [{ container: 1, HostIp: 'x' }] } }"),
                       at: "workloads.a.ports[0].HostIp", "unknown key `HostIp`", hint: "did you mean `hostIp`?"),
        ValidationCase("misspelt top-level key", "{ name: 'p', workload: {} }",
                       at: "workload", "unknown key `workload`", hint: "did you mean `workloads`?"),
        ValidationCase("unrelated key lists the valid ones", "{ name: 'p', zzz: 1 }",
                       at: "zzz", "unknown key `zzz`", hint: "keys allowed here: `name`, `workloads`"),
        ValidationCase("misspelt task key", project(tasks: "{ t: { cmd: 'a', input: [] } }"),
                       at: "tasks.t.input", "unknown key `input`", hint: "did you mean `inputs`?"),
        // Names
        ValidationCase("uppercase workload name", workloads("{ Api: { image: 'x' } }"),
                       at: "workloads.Api", #"invalid workload name "Api""#, hint: "try `api`"),
        ValidationCase("underscore task name", project(tasks: "{ my_task: { cmd: 'a' } }"),
                       at: "tasks.my_task", #"invalid task name "my_task""#, hint: "try `my-task`"),
        ValidationCase("name starting with a dash", workloads("{ '-a': { image: 'x' } }"),
                       at: "workloads.-a", #"invalid workload name "-a""#),
        ValidationCase("invalid project name", "{ name: 'My Shop' }", at: "name", #"invalid project name "My Shop""#,
                       hint: "try `my-shop`"),
        ValidationCase("task and workload share a name", project(workloads: "{ api: { image: 'x' } }", tasks: "{ api: { cmd: 'a' } }"),
                       at: "tasks.api", "a workload is also named `api`"),
        ValidationCase("invalid port name", workloads("{ a: { image: 'x', ports: [{ name: 'HTTP', container: 1 }] } }"),
                       at: "workloads.a.ports[0].name", #"invalid port name "HTTP""#),
        ValidationCase("invalid namespace", "{ name: 'p', kubernetes: { namespace: 'Shop_1' } }",
                       at: "kubernetes.namespace", #"invalid namespace "Shop_1""#),
        ValidationCase("a kube context with a space", "{ name: 'p', kubernetes: { cluster: { context: 'my cluster' } } }",
                       at: "kubernetes.cluster.context", #"expected a kubeconfig context name, got "my cluster""#, hint: "kubectl config get-contexts"),
        ValidationCase("an empty kube context", "{ name: 'p', kubernetes: { cluster: { context: '' } } }",
                       at: "kubernetes.cluster.context", "expected a non-empty string"),
        ValidationCase("a kubectl path with a newline", "{ name: 'p', kubernetes: { kubectl: '/usr/bin/kubectl\\n' } }",
                       at: "kubernetes.kubectl", "expected the kubectl to run", hint: "leave the key out to use kubectl from PATH"),
        ValidationCase("an empty helm", "{ name: 'p', kubernetes: { helm: '' } }", at: "kubernetes.helm", "expected a non-empty string"),
        // dependsOn
        ValidationCase("unknown dependency, with a suggestion", workloads("{ api: { image: 'x', dependsOn: ['cahce'] }, cache: { image: 'y' } }"),
                       at: "workloads.api.dependsOn[0]", "unknown dependency `cahce`", hint: "did you mean `cache`?"),
        ValidationCase("unknown qualified task", project(workloads: "{ api: { image: 'x', dependsOn: ['task:api'] } }"),
                       at: "workloads.api.dependsOn[0]", "unknown dependency `task:api`: no task has that name"),
        ValidationCase("qualified with the wrong kind", project(workloads: "{ a: { image: 'x' } }", tasks: "{ t: { cmd: 'x', dependsOn: ['task:a'] } }"),
                       at: "tasks.t.dependsOn[0]", "no task has that name"),
        ValidationCase("unknown qualifier", workloads("{ a: { image: 'x', dependsOn: ['image:b'] }, b: { image: 'y' } }"),
                       at: "workloads.a.dependsOn[0]", "expected `NAME`, `task:NAME` or `workload:NAME`, got \"image:b\""),
        ValidationCase("depends on itself", project(tasks: "{ t: { cmd: 'x', dependsOn: ['t'] } }"),
                       at: "tasks.t.dependsOn[0]", "task `t` depends on itself"),
        ValidationCase("dependency cycle", project(workloads: "{ a: { image: 'x', dependsOn: ['t'] } }", tasks: "{ t: { cmd: 'x', dependsOn: ['a'] } }"),
                       at: "tasks.t.dependsOn[0]", "dependency cycle: workload:a → task:t → workload:a"),
        // Ports
        ValidationCase("duplicate container port", workloads("{ a: { image: 'x', ports: [{ container: 80 }, { container: 80, protocol: 'http' }] } }"),
                       at: "workloads.a.ports[1].container", "duplicate container port 80: workloads.a.ports[0].container already declares it"),
        ValidationCase("duplicate port name", workloads("{ a: { image: 'x', ports: [{ name: 'web', container: 80 }, { name: 'web', container: 81 }] } }"),
                       at: "workloads.a.ports[1].name", #"duplicate port name "web""#),
        ValidationCase("host port published twice", workloads("{ a: { image: 'x', ports: [{ container: 80, host: 8080 }] }, b: { image: 'y', ports: [{ container: 81, host: 8080, hostIp: '0.0.0.0' }] } }"),
                       at: "workloads.b.ports[0].host", "host port 8080 is already published by workloads.a.ports[0].host"),
        ValidationCase("bad host IP", workloads("{ a: { image: 'x', ports: [{ container: 80, hostIp: 'localhost' }] } }"),
                       at: "workloads.a.ports[0].hostIp", #"expected an IP address, got "localhost""#),
        // Routes
        ValidationCase("route without a leading slash", workloads("{ a: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: ['api'] } }"),
                       at: "workloads.a.routes[0]", #"a route's path starts with /, got "api""#, hint: #"write "/api""#),
        ValidationCase("route claimed twice", workloads("{ a: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: ['/api'] }, b: { image: 'x', ports: [{ container: 80, protocol: 'http' }], routes: ['/api'] } }"),
                       at: "workloads.b.routes[0]", #"workloads.a.routes[0] (line 1:99) and workloads.b.routes[0] both claim /api (prefix)"#),
        ValidationCase("routes without ports", workloads("{ a: { image: 'x', routes: ['/'] } }"),
                       at: "workloads.a.routes", "routes need a port"),
        ValidationCase("routes without an http port", workloads("{ a: { image: 'x', ports: [{ container: 80 }], routes: ['/'] } }"),
                       at: "workloads.a.routes", "first http, http2 or grpc port", hint: #"add `protocol: "http"`"#),
        // Paths and the rest
        ValidationCase("relative volume target", workloads("{ a: { image: 'x', volumes: [{ name: 'v', target: 'data' }] } }"),
                       at: "workloads.a.volumes[0].target", #"expected an absolute path in the container, got "data""#),
        ValidationCase("duplicate volume target", workloads("{ a: { image: 'x', volumes: [{ name: 'v', target: '/d' }, { source: '.', target: '/d' }] } }"),
                       at: "workloads.a.volumes[1].target", #"duplicate mount target "/d""#),
        ValidationCase("relative workdir", workloads("{ a: { image: 'x', workdir: 'app' } }"),
                       at: "workloads.a.workdir", "expected an absolute path"),
        ValidationCase("absolute sync source", workloads("{ a: { build: { context: '.' }, liveUpdate: { sync: [{ from: '/src', to: '/app' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].from", #"expected a path relative to the project, got "/src""#),
        ValidationCase("relative sync destination", workloads("{ a: { build: { context: '.' }, liveUpdate: { sync: [{ from: 'src', to: 'app' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].to", "expected an absolute path"),
        ValidationCase("sync into the container's root", workloads("{ a: { build: { context: '.' }, liveUpdate: { sync: [{ from: 'www', to: '/' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].to", "a sync cannot target the container's root", hint: "a directory of its own"),
        ValidationCase("sync into the root spelled otherwise", workloads("{ a: { build: { context: '.' }, liveUpdate: { sync: [{ from: 'www', to: '/srv/..//' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].to", "a sync cannot target the container's root"),
        ValidationCase("sync target holding a bind mount", workloads("{ a: { build: { context: '.' }, volumes: [{ source: './uploads', target: '/www/uploads' }], liveUpdate: { sync: [{ from: 'www', to: '/www' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].to", #"the sync target "/www" contains volumes[0].target "/www/uploads""#,
                       hint: "mount the volume outside /www"),
        ValidationCase("sync target that is a named volume's mount point", workloads("{ a: { build: { context: '.' }, volumes: [{ name: 'v', target: '/data' }, { name: 'w', target: '/app/' }], liveUpdate: { sync: [{ from: 'src', to: '/srv' }, { from: 'app', to: '/app' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[1].to", "contains volumes[1].target"),
        ValidationCase("sync source leaving the project", workloads("{ a: { build: { context: '.' }, liveUpdate: { sync: [{ from: '../outside', to: '/app' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].from", #""../outside" leaves the project directory"#),
        ValidationCase("sync source leaving the project further down", workloads("{ a: { build: { context: '.' }, liveUpdate: { sync: [{ from: 'web/../../x', to: '/app' }] } } }"),
                       at: "workloads.a.liveUpdate.sync[0].from", "leaves the project directory"),
        ValidationCase("live update on a pulled image", workloads("{ a: { image: 'x', liveUpdate: {} } }"),
                       at: "workloads.a.liveUpdate", "live update needs a workload built from the project"),
        ValidationCase("empty command string", project(tasks: "{ t: { cmd: '  ' } }"),
                       at: "tasks.t.cmd", "expected a command, got an empty string"),
        ValidationCase("empty argument array", workloads("{ a: { image: 'x', entrypoint: [] } }"),
                       at: "workloads.a.entrypoint", "expected at least one argument"),
        ValidationCase("string entrypoint", workloads("{ a: { image: 'x', entrypoint: 'sh' } }"),
                       at: "workloads.a.entrypoint", #"expected an array of arguments, got "sh""#),
        ValidationCase("env name with =", workloads("{ a: { image: 'x', env: { 'A=B': 'c' } } }"),
                       at: #"workloads.a.env["A=B"]"#, "cannot contain `=`"),
        ValidationCase("registry with a scheme", "{ name: 'p', publish: { registry: 'https://r.example' } }",
                       at: "publish.registry", "expected a registry as host[:port][/path]"),
        ValidationCase("probe path without slash", workloads("{ a: { image: 'x', readiness: { http: { path: 'healthz', port: 80 } } } }"),
                       at: "workloads.a.readiness.http.path", "expected a URL path starting with `/`"),
        ValidationCase("syntax error has no key path", "{ name: 'p',, }", at: "", "expected a key"),
    ]

    @Test("each rule", arguments: cases)
    func rule(_ testCase: ValidationCase) throws {
        let found = diagnostics(testCase.input)
        try #require(found.count == 1, "expected exactly one diagnostic, got: \(found.map(\.description))")
        let diagnostic = found[0]
        #expect(diagnostic.keyPath == testCase.keyPath, "\(diagnostic)")
        #expect(diagnostic.message.contains(testCase.message), "\(diagnostic)")
        if let hint = testCase.hint {
            #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)")
        }
        #expect(diagnostic.file == "wbuild.json")
        #expect(diagnostic.line >= 1)
    }
}

@Suite("Validation: reporting")
struct ValidationReportingTests {
    @Test("the description reads file:line:column: key path: message — hint")
    func descriptionFormat() {
        let found = diagnostics("""
            {
              name: "shop",
              workloads: {
                api: {
                  image: "x",
                  ports: [
                    { container: "eighty" },
                  ],
                },
              },
            }
            """)
        #expect(found.map(\.description) == [
            #"wbuild.json:7:22: workloads.api.ports[0].container: expected an integer 1–65535, got "eighty""#,
        ])
        let withHint = diagnostics("{\n  name: 'p',\n  workload: {},\n}")
        #expect(withHint.map(\.description) == ["wbuild.json:3:3: workload: unknown key `workload` — did you mean `workloads`?"])
    }

    @Test("every problem is reported, in file order, not just the first")
    func allProblems() {
        let found = diagnostics("""
                    {
                      name: 'p',
                      tasks: { t: { cmd: 'x', dependsOn: ['nope'] } },
                      workloads: {
                        a: { image: 'x', replicas: 0 },
                        b: { imag: 'x' },
                      },
                    }
                    """)
        #expect(found.map(\.keyPath) == [
            "tasks.t.dependsOn[0]", "workloads.a.replicas", "workloads.b", "workloads.b.imag",
        ])
        #expect(found.map(\.line) == [3, 5, 6, 6])
        #expect(SpecError(diagnostics: found).description.split(separator: "\n").count == 4)
    }

    @Test("a missing key is reported at the object that lacks it")
    func missingKeyPosition() {
        let found = diagnostics("{\n  name: 'p',\n  publish: {\n  },\n}")
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 12)
    }

    @Test("a valid file produces no diagnostics")
    func validFile() {
        #expect(diagnostics(designExample).isEmpty)
    }

    @Test("a sync target beside a mount, or inside one, and a source that climbs back in, are accepted")
    func syncRulesThatKeepOutOfMounts() {
        let spec = project(workloads: """
        { a: { build: { context: '.' }, volumes: [{ source: './uploads', target: '/www-uploads' }, { name: 'v', target: '/srv' }],
               liveUpdate: { sync: [{ from: 'www', to: '/www' }, { from: 'web/../site', to: '/srv/site' }] } } }
        """)
        #expect(diagnostics(spec).isEmpty)
    }

    @Test("a sync error gives the file, line and column of the key")
    func syncErrorPosition() {
        let found = diagnostics("{\n  name: 'p',\n  workloads: { a: { build: { context: '.' },\n    liveUpdate: { sync: [{ from: 'www',\n      to: '/' }] } } },\n}")
        #expect(found.map(\.keyPath) == ["workloads.a.liveUpdate.sync[0].to"])
        #expect(found.first?.file == "wbuild.json")
        #expect(found.first?.line == 5)
        #expect(found.first?.column == 11)
    }
}
