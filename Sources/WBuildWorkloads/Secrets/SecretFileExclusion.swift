import WBuildFiles
import WBuildSpec

extension ProjectSpec {
    /// Project-relative paths of every file a `secretEnv` or `build.secretArgs` reads.
    public var secretFiles: [String] {
        var files: [String] = []
        for workload in workloads {
            var secrets = workload.secretEnv
            if case .build(let build) = workload.source { secrets += build.secretArgs }
            for secret in secrets {
                if case .file(let path) = secret.source { files.append(path) }
            }
        }
        return Array(Set(files)).sorted()
    }
}

extension IgnoreRules {
    /// These rules plus one excluding each secret file inside the context (whose project-relative
    /// prefix is `contextPrefix`, `""` or `"api/"`), placed last so no `!` exception brings one
    /// back: a secret file is never sent to the engine in a build context (where `COPY . .`
    /// would bake it into the image) and never hashed into the source's stat cache.
    func excluding(secretFiles: [String], contextPrefix: String) -> IgnoreRules {
        var added: [IgnoreRule] = []
        for file in secretFiles where file.hasPrefix(contextPrefix) {
            let inContext = String(file.dropFirst(contextPrefix.count))
            // Paths with pattern characters would need escaping; those are left to .dockerignore (see ARCHITECTURE.md).
            guard !inContext.isEmpty, !inContext.contains(where: { "*?[\\!".contains($0) }),
                  let rule = try? IgnoreRule(inContext) else { continue }
            added.append(rule)
        }
        return added.isEmpty ? self : IgnoreRules(rules: rules + added)
    }
}
