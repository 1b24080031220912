import WBuildDocker
import WBuildWorkloads

/// `wbuild doctor`'s checks of `publish.registry`, made the way `publish` reaches it: through
/// the engine (so a TLS registry elsewhere is checked as well as a plain one on loopback) with
/// the Docker CLI's credentials.
enum RegistryChecks {
    static func run(registry: String, client: DockerClient,
                    credentials: DockerCredentialStore = DockerCredentialStore()) async -> [DoctorCheck] {
        let host = PublishDestination(registry: registry, workload: "x", tag: .fingerprint, extraTags: []).registryHost
        let auth: RegistryAuth
        do {
            auth = try await credentials.auth(for: host)
        } catch {
            return [DoctorCheck("registry login", .failed, error.message, fix: error.hint)]
        }
        let refusedAnonymous: Bool
        do {
            _ = try await client.distributionInspect("\(registry)/wbuild-reachability-probe:absent", auth: auth)
            refusedAnonymous = false
        } catch let error as DockerError where error.kind == .engineUnreachable {
            return [DoctorCheck("registry", .warning, "cannot check \(host): the engine does not answer", fix: "see the engine checks above")]
        } catch let error as DockerError {
            switch DockerClient.registryProblem(in: error.message) {
            case .unreachable:
                return [DoctorCheck("registry", .failed, "\(host) cannot be reached: \(error.message)",
                                    fix: "start the registry (Debian: `docker-registry serve CONFIG` with http.addr 127.0.0.1:PORT) or fix publish.registry")]
            case .unauthorized:
                refusedAnonymous = true
            case .notFound, .other:
                return [DoctorCheck("registry", .warning, "\(host) answered with an error: \(error.message)",
                                    fix: "check publish.registry; `wbuild publish` will say more")]
            }
        } catch {
            return [DoctorCheck("registry", .warning, "cannot check \(host): \(error)")]
        }
        var checks = [DoctorCheck("registry", .ok, "\(host) answers (asked through the engine)")]
        if auth.isAnonymous {
            checks.append(refusedAnonymous
                ? DoctorCheck("registry login", .failed, "\(host) wants a login and none is configured",
                              fix: "run `docker login \(host)` (wbuild reads the Docker CLI's credentials, \(credentials.configPath))")
                : DoctorCheck("registry login", .ok, "\(host) lets this machine in without a login"))
            return checks
        }
        do {
            try await client.checkLogin(auth)
            checks.append(DoctorCheck("registry login", .ok, "\(host) accepts \(auth)"))
        } catch let error as DockerError {
            checks.append(DoctorCheck("registry login", .failed, "\(host) refused \(auth): \(error.message)",
                                      fix: "run `docker login \(host)` with the right user and password"))
        } catch {
            checks.append(DoctorCheck("registry login", .failed, "\(host) refused \(auth): \(error)", fix: "run `docker login \(host)`"))
        }
        return checks
    }
}
