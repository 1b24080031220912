/// `liveUpdate`.
extension SpecDecoder {
    func decodeLiveUpdate(_ node: SpecNode) -> LiveUpdateSpec? {
        guard let object = object(node, allowedKeys: ["fallBackOn", "sync", "run", "restart"]) else { return nil }
        var spec = LiveUpdateSpec()
        spec.fallBackOn = object.member("fallBackOn").flatMap { patternList($0, as: .liveUpdateGlob) } ?? []
        if let syncNode = object.member("sync"), let elements = array(syncNode) {
            for element in elements {
                guard let rule = self.object(element, allowedKeys: ["from", "to"]) else { continue }
                let from = required(rule, "from", hint: "a project path, relative to wbuild.json").flatMap { fromNode in
                    string(fromNode).flatMap { path -> String? in
                        guard !path.hasPrefix("/") else {
                            report("expected a path relative to the project, got \"\(Self.shortened(path))\"",
                                   at: fromNode, hint: "sync copies from the project directory; drop the leading `/`")
                            return nil
                        }
                        return path
                    }
                }
                let to = required(rule, "to", hint: "an absolute path in the container").flatMap { decodeAbsolutePath($0) }
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
}
