import Foundation

/// A Helm release as `helm status NAME -o json` reports it, and the fingerprint wbuild wrote
/// into its description (`wbuild fingerprint <hex>`), which says whether the chart and values
/// deployed are the ones rendered now.
struct HelmRelease: Sendable, Equatable {
    var status: String
    var revision: Int
    var description: String

    static let fingerprintPrefix = "wbuild fingerprint "

    var fingerprint: String? {
        description.hasPrefix(Self.fingerprintPrefix) ? String(description.dropFirst(Self.fingerprintPrefix.count)) : nil
    }

    static func parse(json: String) -> HelmRelease? {
        struct Document: Decodable {
            struct Info: Decodable { var status: String?; var description: String? }
            var info: Info?
            var version: Int?
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(json.utf8)), let info = document.info else { return nil }
        return HelmRelease(status: info.status ?? "", revision: document.version ?? 0, description: info.description ?? "")
    }
}
