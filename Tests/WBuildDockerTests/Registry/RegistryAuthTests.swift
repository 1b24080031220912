import Foundation
import Testing
@testable import WBuildDocker

@Suite("Registry credentials: the X-Registry-Auth header and problem classification")
struct RegistryAuthTests {
    /// The header decoded as the engine does (base64url) into a JSON object.
    static func decodeHeader(_ value: String) throws -> [String: String] {
        let bytes = try #require(Base64URL.decode(value), "not base64url: \(value)")
        return try JSONDecoder().decode([String: String].self, from: Data(bytes))
    }

    @Test("anonymous credentials are e30= ({})")
    func anonymous() throws {
        let auth = RegistryAuth.anonymous("127.0.0.1:5000")
        #expect(auth.isAnonymous)
        #expect(auth.headerValue == "e30=")
        #expect(try Self.decodeHeader(auth.headerValue) == [:])
        #expect(auth.description == "no login")
    }

    @Test("user and password decode back to {username, password, serveraddress}")
    func userAndPassword() throws {
        let auth = RegistryAuth(serverAddress: "127.0.0.1:5000", username: "alice", password: "s3cret", source: .configFile("/c.json"))
        #expect(!auth.isAnonymous)
        #expect(try Self.decodeHeader(auth.headerValue) == ["username": "alice", "password": "s3cret", "serveraddress": "127.0.0.1:5000"])
        #expect(auth.description == "user alice from /c.json")
        #expect(!auth.description.contains("s3cret"))
    }

    @Test("an identity token decodes back to {identitytoken, serveraddress}, without username or password")
    func identityToken() throws {
        let auth = RegistryAuth(serverAddress: "registry.example.com", identityToken: "tok-123", source: .helper("docker-credential-pass"))
        #expect(try Self.decodeHeader(auth.headerValue) == ["identitytoken": "tok-123", "serveraddress": "registry.example.com"])
        #expect(auth.description == "an identity token from docker-credential-pass")
        #expect(!auth.description.contains("tok-123"))
    }

    @Test("the header is base64url, not base64: bytes that give + and / in base64 give - and _")
    func base64URLAlphabet() throws {
        // "?>?" in the password makes standard base64 emit "/" and "+" somewhere in the JSON's encoding.
        let auth = RegistryAuth(serverAddress: "h:1", username: "u", password: "??>>??~~~", source: .none)
        let standard = Data(auth.bodyJSON).base64EncodedString()
        #expect(standard.contains("+") || standard.contains("/"), "the test input must exercise the alphabet: \(standard)")
        #expect(!auth.headerValue.contains("+") && !auth.headerValue.contains("/"))
        #expect(auth.headerValue.contains("-") || auth.headerValue.contains("_"))
        #expect(try Self.decodeHeader(auth.headerValue)["password"] == "??>>??~~~")
    }

    @Test("engine messages are classified once: unreachable, unauthorized, not found, other",
          arguments: [
              ("Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused", RegistryProblem.unreachable),
              ("no basic auth credentials", .unauthorized),
              ("unauthorized: authentication required", .unauthorized),
              ("login attempt to http://127.0.0.1:5917/v2/ failed with status: 401 Unauthorized", .unauthorized),
              ("manifest unknown: manifest unknown", .notFound),
              ("tag does not exist: 127.0.0.1:5000/app:nosuch", .notFound),
              ("something else broke", .other),
          ])
    func classification(message: String, expected: RegistryProblem) {
        #expect(RegistryProblem.registryProblem(in: message) == expected)
        #expect(DockerClient.registryProblem(in: message) == expected)
    }

    @Test("a repository's registry: host[:port] when the first element looks like one, else docker.io")
    func registryOfRepository() {
        #expect(ImageReference.registryHost(of: "127.0.0.1:5000/app/web") == "127.0.0.1:5000")
        #expect(ImageReference.registryHost(of: "registry.example.com/app") == "registry.example.com")
        #expect(ImageReference.registryHost(of: "localhost/app") == "localhost")
        #expect(ImageReference.registryHost(of: "library/busybox") == "docker.io")
        #expect(ImageReference.registryHost(of: "busybox") == "docker.io")
    }
}
