import WBuildDocker
import WBuildFiles

/// How one build sends its Dockerfile and wbuild's labels beside the context, chosen so that
/// the image's files are those `docker build` gives: the docker CLI always sends the Dockerfile
/// and `.dockerignore` (even when `.dockerignore` lists them), and the engine deletes those of
/// the two its `.dockerignore` matches before `COPY` runs.
///
/// wbuild's labels go in as one `LABEL` line appended to a copy of the Dockerfile, injected
/// under a name the engine deletes (the `labels` query parameter costs one build step per
/// label): one the context's own `.dockerignore` already ignores when there is such a free
/// name (`*.log` gives `.dockerfile.<suffix>.log`), otherwise `.dockerfile.<suffix>` listed in a
/// rewritten `.dockerignore`. That rewrite would reach the image whenever docker's own
/// `.dockerignore` does, so it is used only when the image gets no `.dockerignore` anyway (there
/// is none, or it lists itself) or the Dockerfile lies outside the context (where the docker CLI
/// does the same rewrite). Otherwise — and with a `target`, where a trailing `LABEL` would land
/// in the wrong stage — the context goes as it is, with the labels as query parameters.
struct BuildContextPlan: Equatable {
    /// The `dockerfile` query value.
    var dockerfilePath: String
    /// Entries added after the context's own.
    var injected: [TarEntry] = []
    /// Context paths sent from disk although the snapshot lacks them (`.dockerignore` and the
    /// Dockerfile, which the docker CLI always sends).
    var sentFromDisk: [String] = []
    /// Context paths the injected entries replace.
    var replaced: Set<String> = []
    /// Labels for the query parameter (empty when they are in the Dockerfile).
    var queryLabels: [String: String] = [:]

    /// - Parameters:
    ///   - dockerfileInContext: the Dockerfile's path inside the context, nil when outside.
    ///   - dockerignore: the context's `.dockerignore` bytes, nil when it has none.
    ///   - ignoreRules: its rules.
    ///   - snapshot: the context as scanned (after `.dockerignore`).
    ///   - suffix: a stable name suffix for the injected Dockerfile.
    ///   - exists: whether a path at the context's root exists on disk.
    static func make(dockerfile: [UInt8], dockerfileInContext: String?, target: String?, labels: [String: String],
                     dockerignore: [UInt8]?, ignoreRules: IgnoreRules = .none, snapshot: TreeSnapshot, suffix: String,
                     exists: (String) -> Bool = { _ in false }) -> BuildContextPlan {
        let ignoreIsSent = dockerignore != nil && snapshot[".dockerignore"] != nil
        if let path = dockerfileInContext, target != nil || ignoreIsSent {
            if target == nil, let name = hiddenName(ignoreRules, suffix: suffix, taken: { exists($0) || snapshot[$0] != nil }) {
                return injecting(dockerfile, as: name, rewriting: nil, labels: labels, target: target,
                                 ignoredDockerfile: path, snapshot: snapshot)
            }
            // The context as docker sends it: the Dockerfile named in place, both build files present.
            var plan = BuildContextPlan(dockerfilePath: path, queryLabels: labels)
            if dockerignore != nil, !ignoreIsSent { plan.sentFromDisk.append(".dockerignore") }
            if snapshot[path] == nil, path != ".dockerignore" { plan.sentFromDisk.append(path) }
            return plan
        }
        // The CLI's rewrite (AddDockerfileToBuildContext): the name appended to the file, or a new
        // file that lists itself too.
        let name = ".dockerfile.\(suffix)"
        var ignore = TarEntry.file(".dockerignore", contents: (dockerignore ?? Array(".dockerignore".utf8)) + Array("\n\(name)\n".utf8))
        if ignoreIsSent, let entry = snapshot[".dockerignore"] { ignore.header.mode = entry.mode }
        return injecting(dockerfile, as: name, rewriting: ignore, labels: labels, target: target,
                         ignoredDockerfile: dockerfileInContext, snapshot: snapshot)
    }

    /// A plan that sends the Dockerfile (with the labels, without a target) as `name`.
    private static func injecting(_ dockerfile: [UInt8], as name: String, rewriting ignore: TarEntry?, labels: [String: String],
                                  target: String?, ignoredDockerfile: String?, snapshot: TreeSnapshot) -> BuildContextPlan {
        var sent = dockerfile
        var plan = BuildContextPlan(dockerfilePath: name)
        if target == nil {
            if let last = sent.last, last != UInt8(ascii: "\n") { sent.append(UInt8(ascii: "\n")) }
            let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: " ")
            sent += Array("LABEL \(pairs)\n".utf8)
        } else {
            plan.queryLabels = labels
        }
        plan.injected = [.file(name, contents: sent)]
        if let ignore {
            plan.injected.append(ignore)
            plan.replaced = [".dockerignore"]
        }
        // An ignored Dockerfile inside ignored directories: docker sends it (so the engine makes
        // those directories) and the engine deletes it, leaving them empty, mode 0755.
        if let path = ignoredDockerfile, snapshot[path] == nil {
            var parent = Substring(path)
            var missing: [String] = []
            while let slash = parent.lastIndex(of: "/") {
                parent = parent[..<slash]
                if snapshot[String(parent) + "/"] != nil { break }
                missing.append(String(parent))
            }
            plan.injected += missing.reversed().map { .directory($0) }
        }
        return plan
    }

    /// A free name at the context's root that `rules` already ignore, made from one of its
    /// single-name patterns (`*` becomes `.dockerfile.<suffix>`, `?` an `x`); nil when none.
    /// At the root, `isIgnored` is exactly the engine's test (no parent directories to match).
    static func hiddenName(_ rules: IgnoreRules, suffix: String, taken: (String) -> Bool) -> String? {
        for rule in rules.rules.reversed() where !rule.isException {
            var pattern = Substring(rule.pattern)
            while pattern.hasPrefix("**/") { pattern = pattern.dropFirst(3) }
            guard !pattern.isEmpty, pattern != ".", !pattern.contains(where: { "/[\\".contains($0) }) else { continue }
            var name = "", starred = false
            for character in pattern {
                switch character {
                case "*":
                    if !starred { name += ".dockerfile.\(suffix)" }
                    starred = true
                case "?": name += "x"
                default: name.append(character)
                }
            }
            guard name != ".dockerignore", rules.isIgnored(name), !taken(name) else { continue }
            return name
        }
        return nil
    }
}
