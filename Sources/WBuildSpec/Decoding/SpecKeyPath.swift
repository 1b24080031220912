/// Where a value sits in the project file, printed as `workloads.api.ports[0].container`.
/// Keys that are not plain names print quoted: `env["A B"]`.
struct SpecKeyPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component] = []

    static let root = SpecKeyPath()

    func appending(_ key: String) -> SpecKeyPath {
        var copy = self
        copy.components.append(.key(key))
        return copy
    }

    func appending(index: Int) -> SpecKeyPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where Self.isPlain(key):
                text += text.isEmpty ? key : "." + key
            case .key(let key):
                let shown = key.unicodeScalars.count <= 40
                    ? key : String(String.UnicodeScalarView(key.unicodeScalars.prefix(40))) + "…"
                text += "[" + shown.debugDescription + "]"
            }
        }
        return text
    }

    private static func isPlain(_ key: String) -> Bool {
        !key.isEmpty && key.unicodeScalars.count <= 64 && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "_" || $0 == "-" || $0 == "$"
        }
    }
}

/// A value together with its key path: what the decoder hands around.
struct SpecNode {
    let value: JSONValue
    let path: SpecKeyPath

    var position: SourcePosition { value.location }
}

/// An object node whose keys have been checked against the keys allowed at its level.
struct ObjectNode {
    let node: SpecNode
    let members: [JSONMember]

    var path: SpecKeyPath { node.path }
    var position: SourcePosition { node.position }

    func has(_ key: String) -> Bool {
        members.contains { $0.key == key }
    }

    /// The member `key` as a node, or nil when absent.
    func member(_ key: String) -> SpecNode? {
        members.first { $0.key == key }.map { SpecNode(value: $0.value, path: path.appending($0.key)) }
    }

    /// Every member as (key, where the key is written, value node), in file order.
    var entries: [(key: String, keyPosition: SourcePosition, node: SpecNode)] {
        members.map { ($0.key, $0.keyLocation, SpecNode(value: $0.value, path: path.appending($0.key))) }
    }
}
