import Testing
@testable import WBuildSpec

@Suite("Bindings: template syntax")
struct BindingTemplateParseTests {
    @Test("each field form parses to its reference")
    func fields() throws {
        let segments = try BindingTemplate.parse("${a.host}|${a.port}|${a.port.grpc}|${a.url}|${a.image}")
        #expect(segments == [
            .reference(BindingReference(workload: "a", field: .host)), .literal("|"),
            .reference(BindingReference(workload: "a", field: .port(name: nil))), .literal("|"),
            .reference(BindingReference(workload: "a", field: .port(name: "grpc"))), .literal("|"),
            .reference(BindingReference(workload: "a", field: .url)), .literal("|"),
            .reference(BindingReference(workload: "a", field: .image)),
        ])
    }

    @Test("$$ is a dollar; a lone $ stays literal; text around references is kept")
    func dollars() throws {
        #expect(try BindingTemplate.parse("cost $$5 and $HOME, $") == [.literal("cost $5 and $HOME, $")])
        #expect(try BindingTemplate.parse("$${a.host}") == [.literal("${a.host}")])
        #expect(try BindingTemplate.parse("redis://${cache.host}:${cache.port}/0") == [
            .literal("redis://"), .reference(BindingReference(workload: "cache", field: .host)), .literal(":"),
            .reference(BindingReference(workload: "cache", field: .port(name: nil))), .literal("/0"),
        ])
        #expect(try BindingTemplate.parse("") == [])
    }

    @Test("malformed references are errors that say what was expected",
          arguments: ["${HOME}", "${a.hots}", "${a.port.}", "${a.host.x}", "${.host}", "${a.url.x}", "x ${a.host", "${}"])
    func malformed(text: String) {
        #expect(throws: BindingSyntaxError.self) { try BindingTemplate.parse(text) }
    }

    @Test("an error points at the offending $ and suggests a fix")
    func errorDetails() {
        do {
            _ = try BindingTemplate.parse("ab${cache.hots}")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 2)
            #expect(error.message.contains("`${cache.hots}` is not a binding"))
            #expect(error.hint == "did you mean `${cache.host}`?")
        }
        do {
            _ = try BindingTemplate.parse("${x")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("never closed"))
            #expect(error.hint?.contains("$${") == true)
        }
    }

    @Test("references print the way they are written")
    func descriptions() {
        #expect(BindingReference(workload: "db", field: .port(name: "pg")).description == "${db.port.pg}")
        #expect(BindingReference(workload: "db", field: .url).description == "${db.url}")
    }
}

@Suite("Bindings: rendering")
struct BindingRenderTests {
    @Test("references are replaced by what the resolver returns")
    func render() throws {
        let template = try BindingTemplate(parsing: "redis://${cache.host}:${cache.port}/$$0")
        let rendered = template.render { reference in
            switch reference.field {
            case .host: return "shop-cache"
            case .port: return "6379"
            default: return nil
            }
        }
        #expect(rendered == .success("redis://shop-cache:6379/$0"))
    }

    @Test("rendering fails with every reference the resolver cannot answer, once each")
    func unresolved() throws {
        let template = try BindingTemplate(parsing: "${a.url} ${b.image} ${a.url} ${c.host}")
        let rendered = template.render { $0.workload == "c" ? "c" : nil }
        #expect(rendered == .failure(UnresolvedBindingsError(references: [
            BindingReference(workload: "a", field: .url), BindingReference(workload: "b", field: .image),
        ])))
    }

    @Test("a template without references renders to its text")
    func literalOnly() throws {
        #expect(try BindingTemplate(parsing: "plain").render { _ in nil } == .success("plain"))
    }
}

@Suite("Bindings: the references of a workload")
struct WorkloadReferenceTests {
    @Test("env, command and entrypoint are searched, in file order, without duplicates")
    func references() throws {
        let spec = try loadSpec(project(workloads: """
            { web: { image: 'x', entrypoint: ['/bin/wait-for', '${db.host}'], command: 'serve --api ${api.url}',
                     env: { DB: '${db.url}', API: '${api.url}', IMG: '${api.image}' } },
              api: { image: 'y', ports: [{ container: 80, protocol: 'http' }] },
              db: { image: 'z', ports: [{ container: 5432 }] } }
            """))
        let web = try #require(spec.workload(named: "web"))
        #expect(BindingTemplate.references(of: web) == [
            BindingReference(workload: "db", field: .url), BindingReference(workload: "api", field: .url),
            BindingReference(workload: "api", field: .image), BindingReference(workload: "db", field: .host),
        ])
        #expect(spec.workload(named: "db")?.bindingReferences == [])
    }
}

@Suite("Bindings: validation at load time")
struct BindingValidationTests {
    static let cases: [ValidationCase] = [
        ValidationCase("binding to an unknown workload",
                       project(workloads: "{ api: { image: 'x', env: { REDIS_URL: 'redis://${cahe.host}' } }, cache: { image: 'r' } }"),
                       at: "workloads.api.env.REDIS_URL", "`${cahe.host}` names no workload", hint: "did you mean `cache`?"),
        ValidationCase("binding to a port name the target does not declare",
                       project(workloads: "{ api: { image: 'x', env: { U: '${cache.port.redis}' } }, cache: { image: 'r', ports: [{ name: 'resp', container: 6379 }] } }"),
                       at: "workloads.api.env.U", "workload `cache` has no port named `redis`"),
        ValidationCase("binding to the port of a workload without ports",
                       project(workloads: "{ api: { image: 'x', env: { P: '${cache.port}' } }, cache: { image: 'r' } }"),
                       at: "workloads.api.env.P", "`${cache.port}` needs a port, but workload `cache` declares none"),
        ValidationCase("binding to the url of a workload without ports",
                       project(workloads: "{ api: { image: 'x', command: ['run', '${cache.url}'] }, cache: { image: 'r' } }"),
                       at: "workloads.api.command[1]", "`${cache.url}` needs a port"),
        ValidationCase("a workload binding to itself",
                       project(workloads: "{ api: { image: 'x', ports: [{ container: 80 }], env: { SELF: '${api.port}' } } }"),
                       at: "workloads.api.env.SELF", "a workload cannot bind to itself"),
        ValidationCase("a binding naming a task",
                       project(workloads: "{ api: { image: 'x', env: { A: '${assets.host}' } } }", tasks: "{ assets: { cmd: 'make' } }"),
                       at: "workloads.api.env.A", "`${assets.host}` names a task; bindings name workloads"),
        ValidationCase("a malformed binding in env",
                       project(workloads: "{ api: { image: 'x', env: { HOME_DIR: '${HOME}' } } }"),
                       at: "workloads.api.env.HOME_DIR", "`${HOME}` is not a binding", hint: "$${"),
        ValidationCase("a malformed binding in a shell command string",
                       project(workloads: "{ api: { image: 'x', command: 'echo ${api}' } }"),
                       at: "workloads.api.command", "`${api}` is not a binding"),
        ValidationCase("a malformed binding in the entrypoint",
                       project(workloads: "{ api: { image: 'x', entrypoint: ['/bin/sh', '${x.y.z.w}'] } }"),
                       at: "workloads.api.entrypoint[1]", "is not a binding"),
        ValidationCase("bindings that form a cycle",
                       project(workloads: "{ a: { image: 'x', ports: [{ container: 1 }], env: { B: '${b.host}' } }, b: { image: 'y', ports: [{ container: 2 }], env: { A: '${a.url}' } } }"),
                       at: "workloads.b.env.A", "dependency cycle: workload:a → workload:b → workload:a"),
    ]

    @Test("each binding rule", arguments: cases)
    func rule(_ testCase: ValidationCase) throws {
        let found = diagnostics(testCase.input)
        try #require(found.count == 1, "expected exactly one diagnostic, got: \(found.map(\.description))")
        #expect(found[0].keyPath == testCase.keyPath, "\(found[0])")
        #expect(found[0].message.contains(testCase.message), "\(found[0])")
        if let hint = testCase.hint {
            #expect(found[0].hint?.contains(hint) == true, "\(found[0])")
        }
    }

    @Test("valid bindings to named and first ports, hosts and images load")
    func validBindings() throws {
        let spec = try loadSpec(project(workloads: """
            { api: { image: 'x', env: { A: '${db.port.pg}', B: '${db.port}', C: '${db.host}', D: '${db.url}', E: '${db.image}' } },
              db: { image: 'z', ports: [{ name: 'pg', container: 5432 }] } }
            """))
        #expect(spec.workload(named: "api")?.env.count == 5)
    }
}

@Suite("Did you mean")
struct SuggestionTests {
    @Test("close misspellings, swaps, case and separators find the candidate")
    func closest() {
        let keys = SpecDecoder.workloadKeys
        #expect(Suggestion.closest(to: "prots", among: keys) == "ports")
        #expect(Suggestion.closest(to: "enviroment", among: ["env", "environment"]) == "environment")
        #expect(Suggestion.closest(to: "live_update", among: keys) == "liveUpdate")
        #expect(Suggestion.closest(to: "Replicas", among: keys) == "replicas")
        #expect(Suggestion.closest(to: "imgae", among: keys) == "image")
    }

    @Test("unrelated words find nothing")
    func unrelated() {
        #expect(Suggestion.closest(to: "banana", among: SpecDecoder.workloadKeys) == nil)
        #expect(Suggestion.closest(to: "x", among: ["env"]) == nil)
        #expect(Suggestion.closest(to: String(repeating: "a", count: 100_000), among: ["a"]) == nil)
    }

    @Test("edit distance counts insertions, deletions, substitutions and adjacent swaps")
    func distance() {
        func distance(_ a: String, _ b: String) -> Int {
            Suggestion.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(distance("", "abc") == 3)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("ab", "ba") == 1)
        #expect(distance("same", "same") == 0)
    }
}
