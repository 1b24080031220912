import WBuild

/// `wbuild doctor`: one line per check with a fix for each failure; exit 0 when all pass, 2 when the
/// project file is invalid, 3 when another check fails.
enum DoctorCommand {
    static func run(_ context: CommandContext) async throws -> Int32 {
        var checks: [DoctorCheck]
        let name = context.arguments.value("target")
        if let name, name != "swarm" {
            guard let target = KubernetesCommands.target(name) else {
                throw UsageError(message: "doctor --target takes swarm, kubernetes or helm, got `\(OptionValues.shown(name))`", command: context.arguments.command)
            }
            checks = await Doctor.runKubernetes(projectFile: context.projectFile, target: target, context: context.arguments.value("context"))
        } else {
            checks = await Doctor.run(projectFile: context.projectFile, target: name)
        }
        let console = context.console
        for check in checks {
            if context.json {
                console.out(check.json.rendered)
                continue
            }
            let mark: String
            switch check.outcome {
            case .ok: mark = console.paint("✓", .green)
            case .warning: mark = console.paint("!", .yellow)
            case .failed: mark = console.paint("✗", .red)
            }
            console.out("\(mark) \(check.name): \(check.detail)")
            if let fix = check.fix { console.out("    fix: \(fix)") }
        }
        if checks.contains(where: { $0.name == Doctor.projectFileCheck && $0.outcome == .failed }) { return 2 }
        return checks.contains { $0.outcome == .failed } ? 3 : 0
    }
}
