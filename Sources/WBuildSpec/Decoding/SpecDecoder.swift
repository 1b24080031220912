/// Turns a parsed `wbuild.json` into a `ProjectSpec`, collecting every problem it meets
/// instead of stopping at the first, and noting the cross-references (dependencies,
/// bindings, host ports, routes) that are checked once the whole file is read.
///
/// Single-use and single-threaded: make one per load.
final class SpecDecoder {
    let file: String
    private(set) var diagnostics: [SpecDiagnostic] = []

    /// `dependsOn` entries as written, resolved after all names are known.
    var dependencyMentions: [DependencyMention] = []
    /// `${w.field}` references in workload env/command/entrypoint.
    var bindingMentions: [BindingMention] = []
    /// Host ports given explicitly, checked for clashes across the project.
    var hostPortMentions: [HostPortMention] = []
    /// Routes in declaration order, checked for clashes (the same host, path and match twice).
    var routeMentions: [RouteMention] = []
    /// Where each workload and task name is declared.
    var declarations: [DependencyReference: SpecNode] = [:]
    /// Positions of the values later checks point at (patterns, build paths), by key path.
    private(set) var locations: [String: SourcePosition] = [:]

    init(file: String) {
        self.file = file
    }

    func report(_ message: String, at path: SpecKeyPath, _ position: SourcePosition, hint: String? = nil) {
        diagnostics.append(SpecDiagnostic(
            file: file, keyPath: path.description, line: position.line, column: position.column,
            message: message, hint: hint))
    }

    func report(_ message: String, at node: SpecNode, hint: String? = nil) {
        report(message, at: node.path, node.position, hint: hint)
    }

    /// Remembers where `node` is written, for `SpecLocations`.
    func locate(_ node: SpecNode) {
        locations[node.path.description] = node.position
    }

    /// Diagnostics in file order (stable for equal positions).
    var sortedDiagnostics: [SpecDiagnostic] {
        diagnostics.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
    }
}

/// A `dependsOn` entry as written, with who wrote it.
struct DependencyMention {
    let owner: DependencyReference
    let entry: String
    let node: SpecNode
}

/// A binding found in a workload's env or command, with where it was found.
struct BindingMention {
    let owner: String
    let reference: BindingReference
    let node: SpecNode
}

/// An explicitly published host port.
struct HostPortMention {
    let owner: String
    let hostIP: String
    let port: Int
    let node: SpecNode
}

/// A route a workload claims, with where it is written.
struct RouteMention {
    let rule: RouteRule
    let node: SpecNode
}
