/// `volumes` and `sidecars`.
extension SpecDecoder {
    func decodeVolumes(_ node: SpecNode) -> [VolumeSpec] {
        guard let elements = array(node) else { return [] }
        var volumes: [VolumeSpec] = []
        var targetsSeen: [String: SpecKeyPath] = [:]
        for element in elements {
            locate(element)  // a rendering that cannot express the mount points here
            guard let object = object(element, allowedKeys: ["source", "name", "target", "readOnly"]) else { continue }
            var source: VolumeSource?
            switch exactlyOne(
                of: ["source", "name"], in: object,
                neitherHint: "`source: \"./data\"` mounts a project directory; `name: \"cache\"` mounts a named volume")
            {
            case "source":
                source = object.member("source").flatMap { string($0) }.map(VolumeSource.hostPath)
            case "name":
                if let nameNode = object.member("name"), let name = string(nameNode) {
                    if Names.isValidVolumeName(name) {
                        source = .named(name)
                    } else {
                        report("invalid volume name \"\(Self.shortened(name))\"", at: nameNode,
                               hint: "volume names use letters, digits, `_`, `.` and `-`, starting with a letter or digit")
                    }
                }
            default:
                break
            }
            let targetNode = required(object, "target", hint: "the absolute path to mount at in the container")
            let target = targetNode.flatMap { decodeAbsolutePath($0) }
            if let target, let targetNode {
                if let earlier = targetsSeen[target] {
                    report("duplicate mount target \"\(Self.shortened(target))\": \(earlier) already mounts there",
                           at: targetNode)
                } else {
                    targetsSeen[target] = targetNode.path
                }
            }
            let readOnly = object.member("readOnly").flatMap { bool($0) } ?? false
            if let source, let target {
                volumes.append(VolumeSpec(source: source, target: target, readOnly: readOnly))
            }
        }
        return volumes
    }

    func decodeSidecars(_ node: SpecNode) -> [SidecarSpec] {
        guard let map = map(node) else { return [] }
        var sidecars: [SidecarSpec] = []
        for entry in map.entries {
            guard Names.isValidName(entry.key) else {
                report("invalid sidecar name \"\(Self.shortened(entry.key))\"", at: entry.node.path, entry.keyPosition,
                       hint: Names.nameHint(for: entry.key))
                continue
            }
            guard let object = object(entry.node, allowedKeys: ["image", "command", "entrypoint", "env"]) else {
                continue
            }
            guard let image = required(object, "image", hint: "the image the sidecar runs, e.g. \"exporter:1\"")
                .flatMap({ string($0) }) else { continue }
            sidecars.append(SidecarSpec(
                name: entry.key, image: image,
                command: object.member("command").flatMap { decodeContainerCommand($0, allowShellString: true) },
                entrypoint: object.member("entrypoint").flatMap { decodeContainerCommand($0, allowShellString: false) },
                env: object.member("env").flatMap { stringMap($0) } ?? []))
        }
        return sidecars
    }
}
