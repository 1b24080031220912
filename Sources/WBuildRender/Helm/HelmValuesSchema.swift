/// `values.schema.json` (JSON Schema draft-07) for a chart's default values: each key typed as
/// its default is, objects closed to other keys except where a cluster adds its own
/// (`resources`, `ingress.hosts`, `ingress.tls`).
enum HelmValuesSchema {
    static func schema(for defaults: RenderMap) -> RenderValue {
        var schema = RenderMap()
        schema.set("$schema", "http://json-schema.org/draft-07/schema#")
        schema.set("title", "values")
        if case .map(let root) = node(.map(defaults), path: []) {
            for entry in root.entries { schema.set(entry.key, entry.value) }
        }
        return .map(schema)
    }

    private static func node(_ value: RenderValue, path: [String]) -> RenderValue {
        switch value {
        case .string: return ["type": "string"]
        case .integer: return ["type": "integer", "minimum": 0]
        case .number: return ["type": "number"]
        case .bool: return ["type": "boolean"]
        case .list: return ["type": "array"]
        case .null, .raw, .guarded: return .emptyMap
        case .map(let map):
            if path.last == "resources" { return ["type": "object"] }
            if path == ["ingress", "hosts"] {
                return ["type": "object", "additionalProperties": ["type": "string"]]
            }
            var properties = RenderMap()
            for entry in map.entries { properties.set(entry.key, node(entry.value, path: path + [entry.key])) }
            return ["type": "object", "properties": .map(properties), "additionalProperties": false]
        }
    }
}
