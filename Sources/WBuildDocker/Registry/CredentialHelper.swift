import Foundation
import Synchronization
import WBuildSystem

/// Runs `docker-credential-NAME get` as the docker-credential-helpers protocol says: the server
/// address on stdin, `{"ServerURL","Username","Secret"}` on stdout; a `Username` of `<token>`
/// makes `Secret` an identity token. A non-zero exit whose output says "credentials not
/// found" means none are stored (anonymous).
///
/// Runs through `ChildProcess`: its reaper and output reader are dedicated threads and
/// `wait()` awaits a latch, so nothing blocks the cooperative pool, and on a timeout the whole
/// process group is stopped. `ProcessLaunch.standardInput` feeds the address; `tailLineCount`
/// 0 keeps the secret out of the child's retained tail. Stdout is never quoted anywhere.
struct CredentialHelper: Sendable {
    /// `pass` for `docker-credential-pass`.
    var name: String
    /// The config key that chose the helper (`credsStore`, `credHelpers["host"]`), for messages.
    var setting: String
    var configPath: String
    var environment: [String: String]
    var timeout: Duration

    var program: String { "docker-credential-\(name)" }

    /// The credentials for `host`, or nil when the helper has none.
    func get(host: String, serverAddress: String) async throws(CredentialError) -> RegistryAuth? {
        let configured = "\(setting) in \(configPath)"
        guard let executable = Self.find(program, path: environment["PATH"] ?? SpawnPlanDefaults.searchPath) else {
            throw CredentialError(
                message: "cannot get credentials for registry \(host): the credential helper \(program) (\(configured)) is not on PATH",
                hint: "install \(program) on PATH, or remove \(setting) from \(configPath) and run `docker login \(host)`")
        }
        let stdout = Mutex<[String]>([])
        let stderr = Mutex<[String]>([])
        let launch = ProcessLaunch(.argv([executable, "get"]), environment: environment, tailLineCount: 0,
                                   standardInput: Array(serverAddress.utf8))
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(launch) { chunk in
                switch chunk.stream {
                case .stdout: stdout.withLock { $0.append(chunk.line) }
                case .stderr: stderr.withLock { if $0.count < 20 { $0.append(chunk.line) } }
                }
            }
        } catch {
            throw CredentialError(message: "cannot get credentials for registry \(host): \(program) (\(configured)) did not start: \(error.description)",
                                  hint: "check that \(executable) is an executable program, or remove \(setting) from \(configPath)")
        }
        guard let status = await Self.wait(for: child, timeout: timeout) else {
            throw CredentialError(
                message: "cannot get credentials for registry \(host): \(program) (\(configured)) did not answer within \(timeout)",
                hint: "check the helper by hand (`echo \(serverAddress) | \(program) get`; a locked keyring or a pass/gpg prompt waits for input), or run `docker login \(host)`")
        }
        let output = stdout.withLock { $0.joined(separator: "\n") }
        let errors = stderr.withLock { $0 }
        guard status.isSuccess else {
            if (output + "\n" + errors.joined(separator: "\n")).lowercased().contains("credentials not found") { return nil }
            throw CredentialError(
                message: "cannot get credentials for registry \(host): \(program) (\(configured)) failed (\(status))" + Self.quoted(errors),
                hint: "check the helper by hand (`echo \(serverAddress) | \(program) get`), or run `docker login \(host)`")
        }
        struct Answer: Decodable {
            var ServerURL: String?
            var Username: String?
            var Secret: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(output.utf8)) else {
            throw CredentialError(
                message: "cannot get credentials for registry \(host): \(program) (\(configured)) printed something that is not the credentials JSON {\"ServerURL\",\"Username\",\"Secret\"}",
                hint: "check the helper by hand (`echo \(serverAddress) | \(program) get`) or update it, or run `docker login \(host)`")
        }
        var auth = RegistryAuth(serverAddress: serverAddress, source: .helper(program))
        if answer.Username == "<token>" {
            auth.identityToken = answer.Secret
        } else {
            auth.username = answer.Username
            auth.password = answer.Secret
        }
        return auth.isAnonymous ? nil : auth
    }

    /// The exit status, or nil when `timeout` passed first.
    private static func wait(for child: ChildProcess, timeout: Duration) async -> ExitStatus? {
        await withTaskGroup(of: ExitStatus?.self) { group in
            group.addTask { await child.wait() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if first == nil {
                // The sleeper won: stop the helper so the waiting task ends too.
                _ = await child.terminate(grace: .milliseconds(500))
            }
            return first
        }
    }

    /// `: <first stderr line, at most 200 characters>` or nothing.
    private static func quoted(_ lines: [String]) -> String {
        guard let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return "" }
        let trimmed = first.trimmingCharacters(in: .whitespaces)
        return ": " + (trimmed.count > 200 ? trimmed.prefix(200) + "…" : trimmed)
    }

    /// The first executable `name` in the `:`-separated `path`.
    static func find(_ name: String, path: String) -> String? {
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}

/// The search path a child gets when its environment has no `PATH` (as `SpawnPlan`'s).
enum SpawnPlanDefaults {
    static let searchPath = "/usr/local/bin:/usr/bin:/bin"
}
