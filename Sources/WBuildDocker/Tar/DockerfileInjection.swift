/// Builds with a Dockerfile that lives outside the build context, the way the docker CLI does
/// (`AddDockerfileToBuildContext`): the daemon refuses paths outside the context, so the Dockerfile
/// is added to the context tar as `.dockerfile.<suffix>` and listed in `.dockerignore`, which makes
/// the daemon drop it before `COPY .` can see it.
public enum DockerfileInjection {
    /// The entries to append to a context (after its own files, instead of its `.dockerignore`),
    /// and the `dockerfile` value to build with.
    ///
    /// - Parameters:
    ///   - dockerfile: the Dockerfile's contents.
    ///   - existingDockerignore: the context's `.dockerignore`, if it has one; it is rewritten with
    ///     the injected name appended, so the caller must not also emit it.
    ///   - suffix: a name suffix unique within the context, e.g. 20 hex digits of the Dockerfile's
    ///     hash (a stable suffix keeps the context, and its hash, reproducible).
    public static func entries(dockerfile: [UInt8], existingDockerignore: [UInt8]?,
                               suffix: String, mtime: Int64 = 0) -> (entries: [TarEntry], dockerfilePath: String) {
        let name = ".dockerfile.\(suffix)"
        var ignore = existingDockerignore ?? []
        if let last = ignore.last, last != UInt8(ascii: "\n") { ignore.append(UInt8(ascii: "\n")) }
        ignore += Array("\(name)\n.dockerignore\n".utf8)
        return ([.file(name, contents: dockerfile, mtime: mtime), .file(".dockerignore", contents: ignore, mtime: mtime)], name)
    }
}
