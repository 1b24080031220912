/// A document to write as YAML or JSON: scalars, lists and maps whose keys keep the order they
/// were added in, so the same inputs always give the same bytes.
///
/// `raw` is text written as it is — a Helm template expression (`{{ .Values.api.replicas }}`)
/// where a value goes; it is the caller's job that it is valid where it lands. `guarded` is a map
/// entry that a Helm template keeps only when its condition holds (`{{- if COND }}` around it).
public indirect enum RenderValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case list([RenderValue])
    case map(RenderMap)
    case raw(String)
    /// As a map entry's value: the entry, inside `{{- if CONDITION }}` … `{{- end }}`.
    case guarded(String, RenderValue)

    /// An empty map, to fill with `RenderMap.set`.
    public static var emptyMap: RenderValue { .map(RenderMap()) }
}

extension RenderValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: RenderValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, RenderValue)...) {
        self = .map(RenderMap(elements.map { RenderMap.Entry(key: $0.0, value: $0.1) }))
    }
}

/// The entries of a map, in insertion order; setting a key again replaces its value in place.
public struct RenderMap: Sendable, Equatable {
    /// One key and its value.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: RenderValue
        public init(key: String, value: RenderValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = []
        for entry in entries { set(entry.key, entry.value) }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Adds `key` at the end, or replaces its value where it is. A nil value is left out.
    public mutating func set(_ key: String, _ value: RenderValue?) {
        guard let value else { return }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append(Entry(key: key, value: value))
        }
    }

    public subscript(key: String) -> RenderValue? {
        entries.first { $0.key == key }?.value
    }
}

extension RenderValue {
    /// A map of string values, in the order given (labels, annotations, env).
    public static func strings(_ pairs: [(String, String)]) -> RenderValue {
        .map(RenderMap(pairs.map { RenderMap.Entry(key: $0.0, value: .string($0.1)) }))
    }
}
