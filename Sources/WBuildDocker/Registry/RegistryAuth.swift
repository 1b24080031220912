import Foundation

/// Credentials for one registry, as the engine's X-Registry-Auth header carries them.
///
/// A value with secrets in it: `description` and every error made from it name the registry,
/// the user and where the credentials came from, never the password or token.
public struct RegistryAuth: Sendable, Equatable, CustomStringConvertible {
    /// Where the credentials came from, for messages ("user alice from /root/.docker/config.json").
    public enum Source: Sendable, Equatable {
        /// No credentials are configured for the registry.
        case none
        /// `auths` in the Docker CLI's config file at this path.
        case configFile(String)
        /// A credential helper program, `docker-credential-NAME`.
        case helper(String)
    }

    /// The registry, `host[:port]` (or the address a helper or config entry gave).
    public var serverAddress: String
    public var username: String?
    public var password: String?
    /// An OAuth refresh token (`identitytoken` in config.json; a helper's `<token>` user).
    public var identityToken: String?
    public var source: Source

    public init(serverAddress: String, username: String? = nil, password: String? = nil,
                identityToken: String? = nil, source: Source = .none) {
        self.serverAddress = serverAddress
        self.username = username
        self.password = password
        self.identityToken = identityToken
        self.source = source
    }

    /// No credentials for `serverAddress`.
    public static func anonymous(_ serverAddress: String) -> RegistryAuth {
        RegistryAuth(serverAddress: serverAddress)
    }

    /// True when there is neither a user name, a password nor a token.
    public var isAnonymous: Bool {
        (username ?? "").isEmpty && (password ?? "").isEmpty && (identityToken ?? "").isEmpty
    }

    /// base64url (RFC 4648 §5, as the engine decodes it) of the JSON {"username","password","serveraddress"} or {"identitytoken","serveraddress"}; `e30=` ({}) when anonymous.
    ///
    /// The engine (20.10) treats a value it cannot decode as empty credentials, silently; so a
    /// wrong encoding shows only as the registry's "no basic auth credentials".
    public var headerValue: String {
        if isAnonymous { return "e30=" }
        return Base64URL.encode(Array(bodyJSON))
    }

    /// The JSON the header and `POST /auth` carry: the token form when there is a token.
    var bodyJSON: Data {
        var fields: [String: String] = ["serveraddress": serverAddress]
        if let identityToken, !identityToken.isEmpty {
            fields["identitytoken"] = identityToken
        } else {
            fields["username"] = username ?? ""
            fields["password"] = password ?? ""
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A [String: String] always encodes; the fallback is `{}`, anonymous, never a crash.
        return (try? encoder.encode(fields)) ?? Data("{}".utf8)
    }

    /// Never contains the password or token: e.g. `user alice from /root/.docker/config.json`, `docker-credential-pass`, `no login`.
    public var description: String {
        let who: String
        if let identityToken, !identityToken.isEmpty {
            who = "an identity token"
        } else if let username, !username.isEmpty {
            who = "user \(username)"
        } else {
            return "no login"
        }
        switch source {
        case .none: return who
        case .configFile(let path): return "\(who) from \(path)"
        case .helper(let name): return "\(who) from \(name)"
        }
    }
}
