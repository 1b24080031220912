/// A string that may contain bindings, split into literal text and references.
///
/// Syntax: `${WORKLOAD.host}`, `${WORKLOAD.port}`, `${WORKLOAD.port.NAME}`, `${WORKLOAD.url}`,
/// `${WORKLOAD.image}`. `$$` is a literal `$`; a `$` not followed by `{` or `$` is literal too,
/// so shell text like `$HOME` passes through. Any other `${…}` is an error (write `$${` to
/// keep one literally).
public struct BindingTemplate: Sendable, Equatable {
    /// A piece of a template.
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case reference(BindingReference)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Parses `text`; throws when a `${…}` is not a well-formed binding.
    public init(parsing text: String) throws(BindingSyntaxError) {
        self.segments = try Self.parse(text)
    }

    /// The segments of `text`, adjacent literals merged.
    public static func parse(_ text: String) throws(BindingSyntaxError) -> [Segment] {
        let scalars = Array(text.unicodeScalars)
        var segments: [Segment] = []
        var literal = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                literal.append(scalar)
                index += 1
                continue
            }
            switch scalars[index + 1] {
            case "$":
                literal.append("$")
                index += 2
            case "{":
                guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                    throw BindingSyntaxError(
                        message: "`${` is never closed with `}`",
                        hint: "write `$${` for a literal `${`", offset: index)
                }
                let inner = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                let reference = try parseReference(inner, offset: index)
                if !literal.isEmpty {
                    segments.append(.literal(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                segments.append(.reference(reference))
                index = close + 1
            default:
                literal.append("$")
                index += 1
            }
        }
        if !literal.isEmpty { segments.append(.literal(String(literal))) }
        return segments
    }

    private static func parseReference(_ inner: String, offset: Int) throws(BindingSyntaxError) -> BindingReference {
        let parts = inner.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let shown = "${" + (inner.unicodeScalars.count <= 40 ? inner : String(inner.prefix(40)) + "…") + "}"
        let expected = "expected `${WORKLOAD.host}`, `${WORKLOAD.port}`, `${WORKLOAD.port.NAME}`, `${WORKLOAD.url}` or `${WORKLOAD.image}`"
        guard parts.count >= 2, !parts[0].isEmpty else {
            throw BindingSyntaxError(
                message: "`\(shown)` is not a binding: \(expected)",
                hint: "write `$${` for a literal `${`", offset: offset)
        }
        let workload = parts[0]
        switch (parts[1], parts.count) {
        case ("host", 2): return BindingReference(workload: workload, field: .host)
        case ("port", 2): return BindingReference(workload: workload, field: .port(name: nil))
        case ("port", 3) where !parts[2].isEmpty:
            return BindingReference(workload: workload, field: .port(name: parts[2]))
        case ("url", 2): return BindingReference(workload: workload, field: .url)
        case ("image", 2): return BindingReference(workload: workload, field: .image)
        default:
            let fields = ["host", "port", "url", "image"]
            let hint = fields.contains(parts[1]) ? nil
                : Suggestion.closest(to: parts[1], among: fields).map { "did you mean `${\(workload).\($0)}`?" }
            throw BindingSyntaxError(message: "`\(shown)` is not a binding: \(expected)", hint: hint, offset: offset)
        }
    }

    /// The references in this template, once each, in order of appearance.
    public var references: [BindingReference] {
        var seen = Set<BindingReference>()
        return segments.compactMap { segment in
            guard case .reference(let reference) = segment, seen.insert(reference).inserted else { return nil }
            return reference
        }
    }

    /// The text with every reference replaced by what `resolve` gives for it; fails with
    /// every reference `resolve` returned nil for.
    public func render(resolve: (BindingReference) -> String?) -> Result<String, UnresolvedBindingsError> {
        var text = ""
        var unresolved: [BindingReference] = []
        for segment in segments {
            switch segment {
            case .literal(let literal):
                text += literal
            case .reference(let reference):
                if let value = resolve(reference) {
                    text += value
                } else if !unresolved.contains(reference) {
                    unresolved.append(reference)
                }
            }
        }
        return unresolved.isEmpty ? .success(text) : .failure(UnresolvedBindingsError(references: unresolved))
    }
}
