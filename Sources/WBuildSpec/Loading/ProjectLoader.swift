/// Loads `wbuild.json`: reads the file, parses JSON5, decodes the model and validates it,
/// reporting every problem found (not just the first) as one `SpecError`.
public enum ProjectLoader {
    /// The file `wbuild` looks for when `-f` is not given.
    public static let defaultFileName = "wbuild.json"

    /// Reads and loads the project file at `path`. A missing or unreadable file is a
    /// `SpecError` saying where it looked and what to do.
    public static func load(path: String) throws(SpecError) -> ProjectSpec {
        let bytes = try ProjectFileReader.contents(ofFile: path)
        return try parse(bytes, fileName: path)
    }

    /// Loads a project from the bytes of a file; `fileName` is what diagnostics call it.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(SpecError) -> ProjectSpec {
        let root: JSONValue
        do {
            root = try JSON5Parser(fileName: fileName).parse(bytes)
        } catch {
            throw SpecError(SpecDiagnostic(
                file: fileName, keyPath: "", line: error.location.line, column: error.location.column,
                message: error.message))
        }
        return try decode(root, fileName: fileName)
    }

    /// Loads a project from already-parsed JSON.
    public static func decode(_ root: JSONValue, fileName: String) throws(SpecError) -> ProjectSpec {
        let decoder = SpecDecoder(file: fileName)
        guard var spec = decoder.decodeProject(root) else {
            throw SpecError(diagnostics: decoder.sortedDiagnostics)
        }
        let dependencyEdges = decoder.resolveDependencies(in: &spec)
        let bindingEdges = decoder.checkBindings(in: spec)
        decoder.checkHostPortConflicts()
        decoder.checkRouteConflicts()
        let order = spec.workloads.map { DependencyReference(.workload, $0.name) }
            + spec.tasks.map { DependencyReference(.task, $0.name) }
        decoder.checkCycles(edges: dependencyEdges + bindingEdges, order: order)
        let diagnostics = decoder.sortedDiagnostics
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        spec.locations = SpecLocations(file: fileName, positions: decoder.locations)
        return spec
    }
}
