/// The top level of `wbuild.json`.
extension SpecDecoder {
    static let projectKeys = ["name", "workloads", "tasks", "publish", "kubernetes", "helm", "swarm", "watch", "images", "router"]

    /// Decodes the document; nil only when the top level is not an object.
    /// Problems are in `diagnostics`; a spec is only usable when there are none.
    func decodeProject(_ root: JSONValue) -> ProjectSpec? {
        let rootNode = SpecNode(value: root, path: .root)
        guard let object = object(rootNode, allowedKeys: Self.projectKeys) else { return nil }

        var name = ""
        if let node = required(object, "name", hint: "the project name labels containers, the network and image names") {
            if let text = string(node) {
                if Names.isValidName(text) {
                    name = text
                } else {
                    report("invalid project name \"\(Self.shortened(text))\"", at: node, hint: Names.nameHint(for: text))
                }
            }
        }

        var spec = ProjectSpec(name: name)
        if let node = object.member("workloads"), let map = map(node) {
            for entry in map.entries {
                guard checkDeclaredName(entry.key, at: entry.node.path, entry.keyPosition, kind: .workload) else {
                    continue
                }
                declarations[DependencyReference(.workload, entry.key)] = entry.node
                if let workload = decodeWorkload(entry.node, name: entry.key) {
                    spec.workloads.append(workload)
                }
            }
        }
        if let node = object.member("tasks"), let map = map(node) {
            for entry in map.entries {
                guard checkDeclaredName(entry.key, at: entry.node.path, entry.keyPosition, kind: .task) else {
                    continue
                }
                if declarations[DependencyReference(.workload, entry.key)] != nil {
                    report("a workload is also named `\(entry.key)`: task and workload names must be distinct",
                           at: entry.node.path, entry.keyPosition, hint: "rename the task or the workload")
                }
                declarations[DependencyReference(.task, entry.key)] = entry.node
                if let task = decodeTask(entry.node, name: entry.key) {
                    spec.tasks.append(task)
                }
            }
        }
        spec.publish = object.member("publish").flatMap { decodePublish($0) }
        spec.kubernetes = object.member("kubernetes").flatMap { decodeKubernetes($0) }
        spec.helm = object.member("helm").flatMap { decodeHelm($0) }
        spec.swarm = object.member("swarm").flatMap { decodeSwarm($0) }
        if let node = object.member("watch"), let watch = decodeWatch(node) { spec.watch = watch }
        if let node = object.member("images"), let images = decodeImages(node) { spec.images = images }
        if let node = object.member("router"), let router = decodeRouter(node) { spec.router = router }
        return spec
    }

    private func checkDeclaredName(
        _ name: String, at path: SpecKeyPath, _ position: SourcePosition, kind: DependencyReference.Kind
    ) -> Bool {
        if Names.isValidName(name) { return true }
        report("invalid \(kind.rawValue) name \"\(Self.shortened(name))\"", at: path, position,
               hint: Names.nameHint(for: name))
        return false
    }
}
