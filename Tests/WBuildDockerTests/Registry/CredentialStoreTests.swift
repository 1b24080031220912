import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildDocker

@Suite("Registry credentials: the Docker CLI's config.json and credential helpers")
struct CredentialStoreTests {
    /// A store reading `DOCKER_CONFIG=<dir>` with `config` as config.json (none when nil), and
    /// `bin` first on PATH.
    static func store(_ directory: TemporaryDirectory, config: String?, timeout: Duration = .seconds(10)) throws -> DockerCredentialStore {
        if let config { try directory.write("config.json", config) }
        var store = DockerCredentialStore(environment: [
            "DOCKER_CONFIG": directory.path, "HOME": directory.path,
            "PATH": directory.path + "/bin:/usr/bin:/bin",
        ])
        store.helperTimeout = timeout
        return store
    }

    /// Writes an executable `bin/docker-credential-NAME` shell script.
    static func helper(_ directory: TemporaryDirectory, name: String, script: String) throws {
        let path = try directory.write("bin/docker-credential-\(name)", "#!/bin/sh\n" + script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    static func basic(_ user: String, _ password: String) -> String { Data("\(user):\(password)".utf8).base64EncodedString() }

    @Test("the config path: $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json")
    func configPath() {
        #expect(DockerCredentialStore(environment: ["DOCKER_CONFIG": "/etc/dc", "HOME": "/home/a"]).configPath == "/etc/dc/config.json")
        #expect(DockerCredentialStore(environment: ["HOME": "/home/a"]).configPath == "/home/a/.docker/config.json")
    }

    @Test("a missing config file means anonymous")
    func missingFile() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let auth = try await Self.store(directory, config: nil).auth(for: "127.0.0.1:5000")
        #expect(auth == .anonymous("127.0.0.1:5000"))
        #expect(auth.headerValue == "e30=")
    }

    @Test("auths keys written as host:port, http://host:port or https://host/v1/ all match the host",
          arguments: ["127.0.0.1:5000", "http://127.0.0.1:5000", "https://127.0.0.1:5000/v1/"])
    func authsKeyForms(key: String) async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let store = try Self.store(directory, config: #"{"auths":{"\#(key)":{"auth":"\#(Self.basic("alice", "pa:ss"))"},"other:1":{"auth":"\#(Self.basic("bob", "x"))"}}}"#)
        let auth = try await store.auth(for: "127.0.0.1:5000")
        #expect(auth.username == "alice")
        #expect(auth.password == "pa:ss")  // split at the first colon only
        #expect(auth.serverAddress == "127.0.0.1:5000")
        #expect(auth.source == .configFile(store.configPath))
        #expect(auth.description == "user alice from \(store.configPath)")
        #expect(try await store.auth(for: "127.0.0.1:5001").isAnonymous)
    }

    @Test("Docker Hub: docker.io finds the CLI's https://index.docker.io/v1/ key and keeps that address")
    func dockerHub() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let store = try Self.store(directory, config: #"{"auths":{"https://index.docker.io/v1/":{"auth":"\#(Self.basic("hubuser", "hubpw"))"}}}"#)
        let auth = try await store.auth(for: "docker.io")
        #expect(auth.username == "hubuser")
        #expect(auth.serverAddress == "https://index.docker.io/v1/")
    }

    @Test("an auths entry with username/password fields, or an identitytoken")
    func authsFields() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let store = try Self.store(directory, config: """
            {"auths": {"a.example": {"username": "carol", "password": "pw"},
                       "b.example": {"auth": "", "identitytoken": "refresh-tok"}}}
            """)
        let a = try await store.auth(for: "a.example")
        #expect(a.username == "carol" && a.password == "pw")
        let b = try await store.auth(for: "b.example")
        #expect(b.identityToken == "refresh-tok")
        #expect(try RegistryAuthTests.decodeHeader(b.headerValue) == ["identitytoken": "refresh-tok", "serveraddress": "b.example"])
        #expect(!b.description.contains("refresh-tok"))
    }

    @Test("a malformed config file is an error naming the path and the JSON problem, without the file's text")
    func malformedFile() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let store = try Self.store(directory, config: #"{"auths": {"h:1": {"auth": "c2VjcmV0"}},, }"#)
        let error = await #expect(throws: CredentialError.self) { try await store.auth(for: "h:1") }
        let text = try #require(error).description
        #expect(text.contains(store.configPath))
        #expect(text.contains("not valid JSON (line 1, column "))
        #expect(!text.contains("c2VjcmV0"))

        let wrongType = try Self.store(directory, config: #"{"credHelpers": ["pass"]}"#)
        let typeError = await #expect(throws: CredentialError.self) { try await wrongType.auth(for: "h:1") }
        #expect(typeError?.message.contains("credHelpers") == true)
    }

    @Test("an auth field that is not base64 of user:password is an error without its value")
    func badAuthField() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let store = try Self.store(directory, config: #"{"auths": {"h:1": {"auth": "bm9jb2xvbg=="}}}"#)  // "nocolon"
        let error = await #expect(throws: CredentialError.self) { try await store.auth(for: "h:1") }
        #expect(error?.message.contains("h:1") == true)
        #expect(error?.hint.contains("docker login h:1") == true)
        #expect(error?.description.contains("bm9jb2xvbg") == false)
    }

    @Test("credHelpers[host] wins over credsStore, which wins over auths; the helper gets the address on stdin")
    func helperPrecedence() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        // Each helper answers with its own secret, after checking what came on stdin.
        try Self.helper(directory, name: "special", script: """
            [ "$1" = get ] || exit 3
            read -r server || true
            printf '{"ServerURL":"%s","Username":"helper-user","Secret":"SPECIAL-SECRET-%s"}\\n' "$server" "$server"
            """)
        try Self.helper(directory, name: "store", script: """
            read -r server || true
            printf '{"ServerURL":"%s","Username":"<token>","Secret":"STORE-TOKEN"}' "$server"
            """)
        let store = try Self.store(directory, config: """
            {"auths": {"r.example:5000": {"auth": "\(Self.basic("fileuser", "filepass"))"}},
             "credsStore": "store",
             "credHelpers": {"r.example:5000": "special"}}
            """)
        let special = try await store.auth(for: "r.example:5000")
        #expect(special.username == "helper-user")
        #expect(special.password == "SPECIAL-SECRET-r.example:5000")
        #expect(special.source == .helper("docker-credential-special"))
        #expect(special.description == "user helper-user from docker-credential-special")
        #expect(try RegistryAuthTests.decodeHeader(special.headerValue)["password"] == "SPECIAL-SECRET-r.example:5000")

        let viaStore = try await store.auth(for: "other.example")
        #expect(viaStore.identityToken == "STORE-TOKEN")
        #expect(viaStore.username == nil && viaStore.password == nil)
        #expect(!viaStore.description.contains("STORE-TOKEN"))

        let fileOnly = try Self.store(directory, config: #"{"auths": {"r.example:5000": {"auth": "\#(Self.basic("fileuser", "filepass"))"}}}"#)
        #expect(try await fileOnly.auth(for: "r.example:5000").username == "fileuser")
    }

    @Test("a helper that says \"credentials not found\" and exits 1 means anonymous")
    func helperNotFound() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        try Self.helper(directory, name: "keychain", script: "echo 'credentials not found in native keychain'\nexit 1\n")
        let store = try Self.store(directory, config: #"{"credsStore": "keychain"}"#)
        #expect(try await store.auth(for: "127.0.0.1:5000") == .anonymous("127.0.0.1:5000"))
    }

    @Test("a helper missing from PATH is an error naming it, the registry and the config file")
    func helperMissing() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        let store = try Self.store(directory, config: #"{"credHelpers": {"127.0.0.1:5000": "nosuchhelper"}}"#)
        let error = try #require(await #expect(throws: CredentialError.self) { try await store.auth(for: "127.0.0.1:5000") })
        #expect(error.message.contains("docker-credential-nosuchhelper"))
        #expect(error.message.contains("127.0.0.1:5000"))
        #expect(error.message.contains(store.configPath))
        #expect(error.hint.contains("docker login 127.0.0.1:5000"))
    }

    @Test("a failing helper: its stderr is quoted, its stdout (which may hold a secret) never is")
    func helperFails() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        try Self.helper(directory, name: "broken", script: "echo 'LEAKED-SECRET'\necho 'gpg: decryption failed: No secret key' >&2\nexit 2\n")
        let store = try Self.store(directory, config: #"{"credsStore": "broken"}"#)
        let error = try #require(await #expect(throws: CredentialError.self) { try await store.auth(for: "h.example") })
        #expect(error.message.contains("docker-credential-broken"))
        #expect(error.message.contains("h.example"))
        #expect(error.message.contains("exit code 2"))
        #expect(error.message.contains("gpg: decryption failed"))
        #expect(!error.description.contains("LEAKED-SECRET"))
    }

    @Test("a helper printing non-JSON is an error that does not repeat what it printed")
    func helperNonJSON() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        try Self.helper(directory, name: "chatty", script: "echo 'password=HUNTER2'\n")
        let store = try Self.store(directory, config: #"{"credsStore": "chatty"}"#)
        let error = try #require(await #expect(throws: CredentialError.self) { try await store.auth(for: "h.example") })
        #expect(error.message.contains("not the credentials JSON"))
        #expect(!error.description.contains("HUNTER2"))
    }

    @Test("a helper that hangs is stopped after the timeout and named in the error")
    func helperTimesOut() async throws {
        let directory = try TemporaryDirectory(prefix: "creds")
        defer { directory.remove() }
        try Self.helper(directory, name: "slow", script: "exec sleep 30\n")
        let store = try Self.store(directory, config: #"{"credsStore": "slow"}"#, timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let error = try #require(await #expect(throws: CredentialError.self) { try await store.auth(for: "h.example") })
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(error.message.contains("docker-credential-slow") && error.message.contains("did not answer"))
    }
}
