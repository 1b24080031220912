/// `--target helm`: each value that differs between clusters becomes a template expression
/// reading `values.yaml`, and the value this spec gives becomes its default there.
final class HelmValues: ClusterValues {
    /// The chart's name, which prefixes its named templates (`shop.image`).
    let chart: String
    /// What `values.yaml` will hold, as recorded.
    private(set) var defaults = RenderMap()

    init(chart: String) {
        self.chart = chart
    }

    func value(_ literal: RenderValue, at path: [String]) -> RenderValue {
        record(literal, at: path)
        return .raw("{{ \(Self.expression(path)) | toJson }}")
    }

    func optional(_ literal: RenderValue?, at path: [String], empty: RenderValue) -> RenderValue? {
        record(literal ?? empty, at: path)
        let expression = Self.expression(path)
        return .guarded(expression, .raw("{{ \(expression) | toJson }}"))
    }

    func unless(_ isOn: Bool, at path: [String], _ entry: RenderValue) -> RenderValue? {
        record(.bool(isOn), at: path)
        return .guarded("not \(Self.expression(path))", entry)
    }

    func image(_ image: RenderedImage, at path: [String]) -> RenderValue {
        let (registry, repository) = Self.splitRegistry(image.repository)
        record(["registry": .string(registry), "repository": .string(repository),
                "tag": .string(image.tag ?? ""), "digest": .string(image.digest ?? "")], at: path)
        return .raw("{{ include \"\(chart).image\" \(Self.expression(path)) | quote }}")
    }

    func gate(_ isOn: Bool, at path: [String]) -> ObjectGate {
        record(.bool(isOn), at: path)
        return ObjectGate(include: true, condition: Self.expression(path))
    }

    /// `.Values.workloads.api.replicas`; a key that is not a Go identifier through `index`
    /// (`(index .Values.ingress.hosts "api.localhost")`).
    static func expression(_ path: [String]) -> String {
        path.reduce(".Values") { expression, key in
            isIdentifier(key) ? "\(expression).\(key)" : "(index \(expression) \(JSONEmitter.string(key)))"
        }
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return false
        }
        return key.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// `127.0.0.1:5000/shop/api` → (`127.0.0.1:5000`, `shop/api`); `redis` → (``, `redis`). The
    /// first part is a registry when Docker would read it as one (a `.`, a `:`, or `localhost`).
    static func splitRegistry(_ repository: String) -> (String, String) {
        guard let slash = repository.firstIndex(of: "/") else { return ("", repository) }
        let first = repository[..<slash]
        guard first.contains(".") || first.contains(":") || first == "localhost" else { return ("", repository) }
        return (String(first), String(repository[repository.index(after: slash)...]))
    }

    private func record(_ value: RenderValue, at path: [String]) {
        defaults = Self.setting(value, at: path[...], in: defaults)
    }

    private static func setting(_ value: RenderValue, at path: ArraySlice<String>, in map: RenderMap) -> RenderMap {
        guard let key = path.first else { return map }
        var map = map
        if path.count == 1 {
            map.set(key, value)
        } else {
            var inner = RenderMap()
            if case .map(let existing)? = map[key] { inner = existing }
            map.set(key, .map(setting(value, at: path.dropFirst(), in: inner)))
        }
        return map
    }
}
