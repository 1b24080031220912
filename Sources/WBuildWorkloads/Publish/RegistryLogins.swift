import Synchronization
import WBuildDocker

/// The credentials of each registry, read once per process: a credential helper is a process
/// to start, and every publish node of a pass asks for the same registry (to check, then to
/// push). A failure is not kept, so the next node says it again in its own words.
public final class RegistryLogins: Sendable {
    let store: DockerCredentialStore
    private let known = Mutex<[String: RegistryAuth]>([:])

    public init(store: DockerCredentialStore = DockerCredentialStore()) {
        self.store = store
    }

    public func auth(for registryHost: String) async throws(CredentialError) -> RegistryAuth {
        if let auth = known.withLock({ $0[registryHost] }) { return auth }
        let auth = try await store.auth(for: registryHost)
        known.withLock { $0[registryHost] = auth }
        return auth
    }
}
