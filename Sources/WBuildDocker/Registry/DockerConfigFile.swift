import Foundation

/// The parts of the Docker CLI's `config.json` that say where credentials are: `auths`,
/// `credsStore` and `credHelpers`. Other keys (`proxies`, `psFormat`, …) are ignored.
struct DockerConfigFile: Sendable, Equatable {
    /// One `auths` entry: `auth` is base64 (standard) of `user:password`.
    struct AuthEntry: Sendable, Equatable, Decodable {
        var auth: String?
        var username: String?
        var password: String?
        var identitytoken: String?
    }

    var auths: [String: AuthEntry] = [:]
    var credsStore: String?
    var credHelpers: [String: String] = [:]

    private struct Raw: Decodable {
        var auths: [String: AuthEntry]?
        var credsStore: String?
        var credHelpers: [String: String]?
    }

    /// Parses `bytes` read from `path`; the error names the file and the JSON problem (never
    /// the file's text, which holds secrets).
    init(bytes: [UInt8], path: String) throws(CredentialError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return }  // empty: as the CLI
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(bytes))
        } catch {
            throw CredentialError(message: "cannot read the Docker config file \(path): \(Self.problem(in: error, bytes: bytes))",
                                  hint: "fix or remove \(path) (the docker CLI writes it; `docker login HOST` rewrites its auths)")
        }
        auths = raw.auths ?? [:]
        credsStore = raw.credsStore.flatMap { $0.isEmpty ? nil : $0 }
        credHelpers = raw.credHelpers ?? [:]
    }

    init() {}

    /// The helper name (`pass` for `docker-credential-pass`) configured for `host`, and the
    /// config key that chose it: `credHelpers[host]` wins over `credsStore`.
    func helper(for host: String) -> (name: String, setting: String)? {
        if let name = credHelpers[host] ?? credHelpers.first(where: { RegistryHost.normalized($0.key) == host })?.value,
           !name.isEmpty {
            return (name, "credHelpers[\"\(host)\"]")
        }
        if let credsStore { return (credsStore, "credsStore") }
        return nil
    }

    /// The `auths` entry for `host`: the key written exactly so first, else any key that
    /// normalises to it (`http://host/`, `https://host/v1/`).
    func authEntry(for host: String) -> AuthEntry? {
        if let exact = auths[host] { return exact }
        return auths.keys.sorted().first { RegistryHost.normalized($0) == host }.flatMap { auths[$0] }
    }

    /// A decoding error as a sentence with the key path and position, without any value.
    static func problem(in error: any Error, bytes: [UInt8]) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context):
            return "it is not valid JSON\(at(context.codingPath))\(context.codingPath.isEmpty ? syntaxPosition(in: bytes) : "")"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "expected \(Self.name(of: type))\(at(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\"\(at(context.codingPath))"
        @unknown default:
            return "not valid JSON"
        }
    }

    /// ` (line L, column C)` of a syntax error. JSONDecoder on Linux gives no position, so ask
    /// JSONSerialization ("around character N") and count lines ourselves; only numbers are kept.
    static func syntaxPosition(in bytes: [UInt8]) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes))
            return ""
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            guard let range = text.range(of: #"character \d+"#, options: .regularExpression),
                  let offset = Int(text[range].dropFirst("character ".count)) else { return "" }
            let before = bytes.prefix(max(0, min(offset, bytes.count)))
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            return " (line \(line), column \(column))"
        }
    }

    private static func name(of type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if String(describing: type).hasPrefix("Dictionary") { return "an object" }
        return String(describing: type)
    }
}
