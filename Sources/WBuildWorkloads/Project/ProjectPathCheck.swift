import WBuildSpec
#if canImport(Glibc)
import Glibc
#endif

/// Paths the spec names for a build — its context and its Dockerfile — must stay inside the
/// project: wbuild watches only the project, and a Dockerfile outside it (`/etc/shadow`,
/// `../secret`, a symlink pointing out) would be read and sent to the engine, whose parse error
/// then prints its first line. Checked lexically, then with symlinks resolved.
enum ProjectPathCheck {
    /// Why `absolute` (normalised by `ProjectLayout.absolute`) is not inside `root`, or nil.
    /// Never includes anything read from the file.
    static func escape(of absolute: String, root: String) -> String? {
        guard isInside(absolute, root) else { return "it is outside the project directory \(root)" }
        let realRoot = resolved(root)
        let realPath = resolved(absolute)
        guard isInside(realPath, realRoot) else {
            return "it resolves through a symlink to \(realPath), outside the project directory \(root)"
        }
        return nil
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// `path` with every symlink resolved (`realpath(3)`); a part that does not exist yet is
    /// kept as written below its deepest existing parent.
    static func resolved(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return path }
        let parent = resolved(String(path[..<slash]))
        return (parent.hasSuffix("/") ? parent : parent + "/") + path[path.index(after: slash)...]
    }

    /// The build's context and Dockerfile, checked; the error points at the key in the file.
    static func checkBuild(_ build: BuildSpec, workload: String, layout: ProjectLayout,
                           locations: SpecLocations) throws(ProjectGraphError) {
        let buildPath = "workloads.\(workload).build"
        let context = layout.absolute(build.context)
        if let why = escape(of: context, root: layout.root) {
            throw ProjectGraphError(locations.diagnostic(
                at: buildPath + ".context", "the build context \"\(build.context)\" is not in the project: \(why)",
                hint: "wbuild watches only the project directory; move the context inside it"))
        }
        let keyPath = build.dockerfile == nil ? buildPath + ".context" : buildPath + ".dockerfile"
        let named = build.dockerfile ?? (build.context + "/Dockerfile")
        if let why = escape(of: layout.absolute(named), root: layout.root) {
            throw ProjectGraphError(locations.diagnostic(
                at: keyPath, "the Dockerfile \"\(named)\" is not in the project: \(why)",
                hint: "put the Dockerfile inside the project and name it relative to wbuild.json"))
        }
    }
}
