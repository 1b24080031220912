/// `tasks.NAME`: local commands.
extension SpecDecoder {
    static let taskKeys = ["cmd", "serve", "dir", "env", "inputs", "outputs", "dependsOn", "ignore"]

    func decodeTask(_ node: SpecNode, name: String) -> TaskSpec? {
        guard let object = object(node, allowedKeys: Self.taskKeys) else { return nil }
        var task = TaskSpec(name: name)
        switch exactlyOne(
            of: ["cmd", "serve"], in: object,
            neitherHint: "give `cmd` for a command that runs to completion, or `serve` for a process kept running")
        {
        case "cmd": task.command = object.member("cmd").flatMap { decodeTaskCommand($0) }
        case "serve": task.serve = object.member("serve").flatMap { decodeTaskCommand($0) }
        default: break
        }
        task.dir = object.member("dir").flatMap { string($0) }
        task.env = object.member("env").flatMap { stringMap($0) } ?? []
        task.inputs = object.member("inputs").flatMap { patternList($0, as: .inputGlob) } ?? []
        task.outputs = object.member("outputs").flatMap { patternList($0, as: .output) } ?? []
        task.ignore = object.member("ignore").flatMap { patternList($0, as: .ignoreRule) } ?? []
        noteDependencies(object.member("dependsOn"), owner: DependencyReference(.task, name))
        return task
    }

    /// A command string (run with `/bin/sh -c`) or a non-empty array of arguments.
    func decodeTaskCommand(_ node: SpecNode) -> TaskCommand? {
        switch node.value.kind {
        case .string(let text):
            guard text.unicodeScalars.contains(where: { !$0.isJSON5Whitespace && !$0.isJSON5LineTerminator }) else {
                report("expected a command, got an empty string", at: node)
                return nil
            }
            return .shell(text)
        case .array:
            return decodeArguments(node).map(TaskCommand.argv)
        default:
            report("expected a command: a string (run with /bin/sh -c) or an array of arguments, got \(Self.describe(node.value))",
                   at: node)
            return nil
        }
    }

    /// A non-empty array of strings whose first element is non-empty.
    func decodeArguments(_ node: SpecNode) -> [String]? {
        guard let elements = array(node) else { return nil }
        guard !elements.isEmpty else {
            report("expected at least one argument, got an empty array", at: node)
            return nil
        }
        var arguments: [String] = []
        for (index, element) in elements.enumerated() {
            guard let text = string(element, allowEmpty: index > 0) else { return nil }
            arguments.append(text)
        }
        return arguments
    }

    /// Records `dependsOn` entries; they are resolved once every name is known.
    func noteDependencies(_ node: SpecNode?, owner: DependencyReference) {
        guard let node, let entries = stringListNodes(node) else { return }
        for entry in entries {
            dependencyMentions.append(DependencyMention(owner: owner, entry: entry.text, node: entry.node))
        }
    }
}
