import Foundation
import WBuildSystem

/// Reads the Docker CLI's credentials: `$DOCKER_CONFIG/config.json` or `$HOME/.docker/config.json`.
///
/// The order is the CLI's: `credHelpers[host]` wins, then `credsStore`, then `auths[host]`
/// (`auth` = base64 of `user:password`, or `username`/`password`, and `identitytoken`).
/// `auths` keys match after dropping the scheme and path (`https://host:5000/v1/` is
/// `host:5000`). The file is read on every call, so a `docker login` in between is seen.
public struct DockerCredentialStore: Sendable {
    let environment: [String: String]
    /// How long a credential helper may take (the CLI waits forever; we say why after 10 s).
    var helperTimeout: Duration = .seconds(10)

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var configPath: String {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty {
            return directory + "/config.json"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.docker/config.json"
    }

    /// The credentials for `registryHost` (`host[:port]`, no scheme, no path); anonymous when none are configured.
    public func auth(for registryHost: String) async throws(CredentialError) -> RegistryAuth {
        let host = RegistryHost.normalized(registryHost)
        let serverAddress = RegistryHost.serverAddress(for: host)
        let path = configPath
        let config = try await BlockingWork.run(name: "wbuild-docker-config") { () -> Result<DockerConfigFile, CredentialError> in
            Result { () throws(CredentialError) in try Self.readConfig(at: path) }
        }.get()

        if let (name, setting) = config.helper(for: host) {
            let helper = CredentialHelper(name: name, setting: setting, configPath: path,
                                          environment: environment, timeout: helperTimeout)
            return try await helper.get(host: host, serverAddress: serverAddress) ?? .anonymous(serverAddress)
        }
        guard let entry = config.authEntry(for: host) else { return .anonymous(serverAddress) }
        var auth = RegistryAuth(serverAddress: serverAddress, username: entry.username, password: entry.password,
                                identityToken: entry.identitytoken.flatMap { $0.isEmpty ? nil : $0 }, source: .configFile(path))
        if let encoded = entry.auth, !encoded.isEmpty {
            guard let decoded = Data(base64Encoded: encoded).flatMap({ String(data: $0, encoding: .utf8) }),
                  let colon = decoded.firstIndex(of: ":") else {
                throw CredentialError(
                    message: "cannot read the credentials for registry \(host) in \(path): its \"auth\" is not base64 of user:password",
                    hint: "run `docker login \(host)` again, or remove that entry from \(path)")
            }
            auth.username = String(decoded[..<colon])
            auth.password = String(decoded[decoded.index(after: colon)...])
        }
        return auth
    }

    /// The config at `path`; an empty one when the file does not exist (nobody logged in).
    static func readConfig(at path: String) throws(CredentialError) -> DockerConfigFile {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return DockerConfigFile()
        } catch {
            throw CredentialError(message: "cannot read the Docker config file \(path): \(error.localizedDescription)",
                                  hint: "check its permissions, or point DOCKER_CONFIG at another directory")
        }
        return try DockerConfigFile(bytes: bytes, path: path)
    }
}
