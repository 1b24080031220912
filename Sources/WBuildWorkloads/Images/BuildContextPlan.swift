import WBuildDocker
import WBuildFiles

/// How one build sends its Dockerfile and wbuild's labels beside the context, chosen so that
/// the image's files are those `docker build` gives: the docker CLI always sends the Dockerfile
/// and `.dockerignore` (even when `.dockerignore` lists them), and the engine deletes those of
/// the two its `.dockerignore` matches before `COPY` runs.
///
/// wbuild's labels go in as one `LABEL` line appended to a copy of the Dockerfile, injected
/// under `.dockerfile.<suffix>` and listed in a rewritten `.dockerignore` (the `labels` query
/// parameter costs one build step per label). That rewrite would reach the image whenever
/// docker's own `.dockerignore` does, so the injection is used only when the image gets no
/// `.dockerignore` anyway (there is none, or it lists itself) or the Dockerfile lies outside the
/// context (where the docker CLI does the same rewrite). Otherwise — and with a `target`, where a
/// trailing `LABEL` would land in the wrong stage — the context goes as it is, with the labels
/// as query parameters.
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
    ///   - snapshot: the context as scanned (after `.dockerignore`).
    ///   - suffix: a stable name suffix for the injected Dockerfile.
    static func make(dockerfile: [UInt8], dockerfileInContext: String?, target: String?, labels: [String: String],
                     dockerignore: [UInt8]?, snapshot: TreeSnapshot, suffix: String) -> BuildContextPlan {
        let ignoreIsSent = dockerignore != nil && snapshot[".dockerignore"] != nil
        guard dockerfileInContext == nil || (target == nil && !ignoreIsSent) else {
            // The context as docker sends it: the Dockerfile named in place, both build files present.
            let path = dockerfileInContext ?? ""
            var plan = BuildContextPlan(dockerfilePath: path, queryLabels: labels)
            if dockerignore != nil, !ignoreIsSent { plan.sentFromDisk.append(".dockerignore") }
            if snapshot[path] == nil, path != ".dockerignore" { plan.sentFromDisk.append(path) }
            return plan
        }
        var sent = dockerfile
        var queryLabels: [String: String] = [:]
        if target == nil {
            if let last = sent.last, last != UInt8(ascii: "\n") { sent.append(UInt8(ascii: "\n")) }
            let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: " ")
            sent += Array("LABEL \(pairs)\n".utf8)
        } else {
            queryLabels = labels
        }
        let name = ".dockerfile.\(suffix)"
        // The CLI's rewrite (AddDockerfileToBuildContext): the name appended to the file, or a new
        // file that lists itself too.
        var ignore = dockerignore ?? Array(".dockerignore".utf8)
        ignore += Array("\n\(name)\n".utf8)
        var plan = BuildContextPlan(dockerfilePath: name, replaced: [".dockerignore"], queryLabels: queryLabels)
        plan.injected = [.file(name, contents: sent), .file(".dockerignore", contents: ignore)]
        if ignoreIsSent, let entry = snapshot[".dockerignore"] {
            plan.injected[1].header.mode = entry.mode
        }
        // An ignored Dockerfile inside ignored directories: docker sends it (so the engine makes
        // those directories) and the engine deletes it, leaving them empty, mode 0755.
        if let path = dockerfileInContext, snapshot[path] == nil {
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
}
