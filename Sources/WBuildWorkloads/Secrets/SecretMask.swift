import Foundation

/// Replaces secrets' values in text wbuild relays (build output, build failures) with
/// `(secret)`, the way CI systems mask theirs: a `RUN echo $TOKEN` in a Dockerfile then prints
/// nothing it should not. Values shorter than 4 characters are not masked (they would blank
/// out ordinary words), so secrets should be longer than that anyway.
struct SecretMask: Sendable {
    static let minimumLength = 4
    private let values: [String]

    init(_ secrets: [ResolvedSecret]) {
        // Longest first, so a value containing another is masked whole.
        values = Set(secrets.map(\.value.revealed).filter { $0.count >= Self.minimumLength })
            .sorted { $0.count > $1.count }
    }

    var isEmpty: Bool { values.isEmpty }

    func apply(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var masked = text
        for value in values where masked.contains(value) {
            masked = masked.replacingOccurrences(of: value, with: "(secret)")
        }
        return masked
    }
}
