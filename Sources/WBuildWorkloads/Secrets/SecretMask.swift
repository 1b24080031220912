import Foundation
import WBuildSpec

/// Replaces secrets' values in text wbuild relays (build output, build failures) with
/// `(secret)`, the way CI systems mask theirs: a `RUN echo $TOKEN` in a Dockerfile then prints
/// nothing it should not. Values shorter than 4 characters are not masked (they would blank
/// out ordinary words), so secrets should be longer than that anyway. `wbuild logs` masks
/// what containers print the same way.
public struct SecretMask: Sendable {
    static let minimumLength = 4
    private let values: [String]

    init(_ secrets: [ResolvedSecret]) {
        self.init(values: secrets.map(\.value))
    }

    public init(values: [SecretValue]) {
        // Longest first, so a value containing another is masked whole.
        self.values = Set(values.map(\.revealed).filter { $0.count >= Self.minimumLength }).sorted { $0.count > $1.count }
    }

    /// Every secret of `spec` that can be read now (`secretEnv` and `build.secretArgs` of every workload).
    public init(project spec: ProjectSpec, projectRoot: String) {
        var secrets: [SecretSpec] = []
        for workload in spec.workloads {
            secrets += workload.secretEnv
            if case .build(let build) = workload.source { secrets += build.secretArgs }
        }
        self.init(values: SecretResolver(projectRoot: projectRoot).readableValues(secrets))
    }

    public var isEmpty: Bool { values.isEmpty }

    /// `text` with every occurrence of a secret replaced by `(secret)`.
    public func apply(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var masked = text
        for value in values where masked.contains(value) {
            masked = masked.replacingOccurrences(of: value, with: "(secret)")
        }
        return masked
    }
}
