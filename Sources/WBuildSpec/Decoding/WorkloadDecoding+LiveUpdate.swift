/// `liveUpdate`.
extension SpecDecoder {
    /// `volumes` is the workload's `volumes` node, to refuse a sync target that holds one of its
    /// mount points.
    func decodeLiveUpdate(_ node: SpecNode, volumes: SpecNode? = nil) -> LiveUpdateSpec? {
        guard let object = object(node, allowedKeys: ["fallBackOn", "sync", "run", "restart"]) else { return nil }
        var spec = LiveUpdateSpec()
        spec.fallBackOn = object.member("fallBackOn").flatMap { patternList($0, as: .liveUpdateGlob) } ?? []
        if let syncNode = object.member("sync"), let elements = array(syncNode) {
            let mountTargets = Self.mountTargets(volumes)
            for element in elements {
                guard let rule = self.object(element, allowedKeys: ["from", "to"]) else { continue }
                let from = required(rule, "from", hint: "a project path, relative to wbuild.json").flatMap { decodeSyncSource($0) }
                let to = required(rule, "to", hint: "an absolute path in the container").flatMap { toNode in
                    decodeAbsolutePath(toNode).flatMap { checkSyncTarget($0, at: toNode, mountTargets: mountTargets) }
                }
                if let from, let to { spec.sync.append(SyncRule(from: from, to: to)) }
            }
        }
        if let runNode = object.member("run"), let elements = array(runNode) {
            for element in elements {
                guard let step = self.object(element, allowedKeys: ["cmd", "trigger"]) else { continue }
                let command = required(step, "cmd").flatMap { decodeTaskCommand($0) }
                let trigger = step.member("trigger").flatMap { patternList($0, as: .liveUpdateGlob) } ?? []
                if let command { spec.run.append(RunStep(command: command, trigger: trigger)) }
            }
        }
        if let restartNode = object.member("restart"),
           let restart = choice(restartNode, RestartPolicy.allCases.map { ($0.rawValue, $0) }) {
            spec.restart = restart
        }
        return spec
    }

    /// `sync[i].from`: relative, and inside the project once `..` is resolved.
    private func decodeSyncSource(_ node: SpecNode) -> String? {
        guard let path = string(node) else { return nil }
        guard !path.hasPrefix("/") else {
            report("expected a path relative to the project, got \"\(Self.shortened(path))\"",
                   at: node, hint: "sync copies from the project directory; drop the leading `/`")
            return nil
        }
        guard SyncPaths.resolved(path.split(separator: "/").map(String.init)) != nil else {
            report("\"\(Self.shortened(path))\" leaves the project directory",
                   at: node, hint: "sync copies from inside the project (wbuild watches only it); move the files into it")
            return nil
        }
        return path
    }

    /// `sync[i].to`: not the container's root, and holding none of the workload's mount points
    /// (a sync removes what the host removed: inside a mount, that would be the mounted files).
    private func checkSyncTarget(_ target: String, at node: SpecNode, mountTargets: [(index: Int, target: String)]) -> String? {
        guard let components = SyncPaths.resolved(target.split(separator: "/").map(String.init)), !components.isEmpty else {
            report("a sync cannot target the container's root \"\(Self.shortened(target))\": removing a synced directory there would remove the container's own files and anything mounted into it",
                   at: node, hint: "sync into a directory of its own, e.g. \"/app\"")
            return nil
        }
        let cleaned = "/" + components.joined(separator: "/")
        for mount in mountTargets {
            guard let mountComponents = SyncPaths.resolved(mount.target.split(separator: "/").map(String.init)) else { continue }
            let mountPath = "/" + mountComponents.joined(separator: "/")
            if mountPath == cleaned || mountPath.hasPrefix(cleaned + "/") {
                report("the sync target \"\(Self.shortened(target))\" contains volumes[\(mount.index)].target \"\(Self.shortened(mount.target))\": a sync that removes or replaces a directory there would reach into the mounted files",
                       at: node, hint: "sync into a directory that holds no volume, or mount the volume outside \(cleaned)")
                return nil
            }
        }
        return target
    }

    /// The `target` string of each element of `volumes`, with its index (unchecked: `decodeVolumes` reports problems).
    private static func mountTargets(_ volumes: SpecNode?) -> [(index: Int, target: String)] {
        guard let volumes, case .array(let elements) = volumes.value.kind else { return [] }
        return elements.enumerated().compactMap { index, element in
            guard let value = element["target"], case .string(let target) = value.kind, target.hasPrefix("/") else { return nil }
            return (index, target)
        }
    }
}

/// Lexical path resolution for sync rules.
enum SyncPaths {
    /// `components` with `.` and empty ones dropped and `..` applied; nil when `..` climbs above the start.
    static func resolved(_ components: [String]) -> [String]? {
        var result: [String] = []
        for component in components where !component.isEmpty && component != "." {
            if component == ".." {
                guard !result.isEmpty else { return nil }
                result.removeLast()
            } else {
                result.append(component)
            }
        }
        return result
    }
}
