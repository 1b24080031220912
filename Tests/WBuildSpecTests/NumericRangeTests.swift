import Testing
@testable import WBuildSpec

/// Every number the project file holds goes through a ranged reader: out-of-range, negative,
/// fractional, huge (`1e300`, 20 digits, long hex) values are each a diagnostic at their key,
/// never a value that traps later when it is converted.
@Suite struct NumericRangeTests {
    /// A key holding a number: the file around `VALUE`, and the key path it is reported at.
    static let keys: [(String, String)] = [
        ("{ name: 'p', workloads: { a: { image: 'x', ports: [{ container: VALUE }] } } }", "workloads.a.ports[0].container"),
        ("{ name: 'p', workloads: { a: { image: 'x', ports: [{ container: 80, host: VALUE }] } } }", "workloads.a.ports[0].host"),
        ("{ name: 'p', workloads: { a: { image: 'x', replicas: VALUE } } }", "workloads.a.replicas"),
        ("{ name: 'p', workloads: { a: { image: 'x', stopGraceMs: VALUE } } }", "workloads.a.stopGraceMs"),
        ("{ name: 'p', workloads: { a: { image: 'x', debug: { port: VALUE } } } }", "workloads.a.debug.port"),
        ("{ name: 'p', workloads: { a: { image: 'x', autoscale: { min: VALUE, max: 2 } } } }", "workloads.a.autoscale.min"),
        ("{ name: 'p', workloads: { a: { image: 'x', autoscale: { min: 1, max: 2, cpuPercent: VALUE } } } }", "workloads.a.autoscale.cpuPercent"),
        ("{ name: 'p', workloads: { a: { image: 'x', resources: { cpus: VALUE } } } }", "workloads.a.resources.cpus"),
        ("{ name: 'p', workloads: { a: { image: 'x', resources: { memory: VALUE } } } }", "workloads.a.resources.memory"),
        ("{ name: 'p', workloads: { a: { image: 'x', resources: { gpus: VALUE } } } }", "workloads.a.resources.gpus"),
        ("{ name: 'p', workloads: { a: { image: 'x', readiness: { tcp: { port: VALUE } } } } }", "workloads.a.readiness.tcp.port"),
        ("{ name: 'p', workloads: { a: { image: 'x', readiness: { tcp: { port: 1 }, intervalMs: VALUE } } } }", "workloads.a.readiness.intervalMs"),
        ("{ name: 'p', workloads: { a: { image: 'x', readiness: { tcp: { port: 1 }, timeoutMs: VALUE } } } }", "workloads.a.readiness.timeoutMs"),
        ("{ name: 'p', workloads: { a: { image: 'x', liveness: { tcp: { port: 1 }, failureThreshold: VALUE } } } }", "workloads.a.liveness.failureThreshold"),
        ("{ name: 'p', workloads: { a: { image: 'x', liveness: { tcp: { port: 1 }, initialDelayMs: VALUE } } } }", "workloads.a.liveness.initialDelayMs"),
        ("{ name: 'p', watch: { settleMs: VALUE } }", "watch.settleMs"),
        ("{ name: 'p', watch: { maxDelayMs: VALUE } }", "watch.maxDelayMs"),
        ("{ name: 'p', images: { keep: VALUE } }", "images.keep"),
        ("{ name: 'p', router: { port: VALUE } }", "router.port"),
        ("{ name: 'p', router: { holdMs: VALUE } }", "router.holdMs"),
    ]

    static let badValues = ["-1", "1e300", "-1e300", "99999999999999999999", "0x7FFFFFFFFFFFFFFFFFFF", "1.5", "1e20", "'1'"]

    @Test(arguments: badValues)
    func everyNumericKeyRejectsTheValueAtItsKey(_ value: String) {
        for (template, keyPath) in Self.keys {
            let text = template.replacingOccurrences(of: "VALUE", with: value)
            let found = diagnostics(text)
            // `cpus: 1.5` is a fine number of CPUs and `memory: '1'` one byte: the only values accepted here.
            if (keyPath.hasSuffix(".cpus") && value == "1.5") || (keyPath.hasSuffix(".memory") && value == "'1'") {
                #expect(found.isEmpty, "\(text): \(found)")
                continue
            }
            #expect(found.map(\.keyPath) == [keyPath], "\(text): \(found)")
            #expect(found.allSatisfy { $0.line == 1 && $0.column > 1 && $0.message.hasPrefix("expected ") }, "\(found)")
        }
    }

    @Test(arguments: [("container", "0"), ("container", "65536"), ("container", "99999"), ("host", "65536"), ("host", "99999")])
    func portsOutsideTheirRangeAreDiagnostics(_ key: String, _ value: String) {
        let other = key == "container" ? "" : ", container: 80"
        let found = diagnostics("{ name: 'p', workloads: { a: { image: 'x', ports: [{ \(key): \(value)\(other) }] } } }")
        #expect(found.map(\.keyPath) == ["workloads.a.ports[0].\(key)"], "\(found)")
        #expect(found.first?.message == "expected an integer \(key == "host" ? 0 : 1)–65535, got \(value)")
    }

    @Test(arguments: ["'-1Mi'", "'-5'", "0", "'0Gi'", "'99999999999Ti'", "'1e3Mi'"])
    func negativeZeroAndHugeMemorySizesAreDiagnostics(_ value: String) {
        let found = diagnostics("{ name: 'p', workloads: { a: { image: 'x', resources: { memory: \(value) } } } }")
        #expect(found.map(\.keyPath) == ["workloads.a.resources.memory"], "\(found)")
    }
}
