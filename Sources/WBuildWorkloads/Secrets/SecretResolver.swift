#if canImport(Glibc)
import Glibc
#endif
import Foundation
import WBuildSpec
import WBuildSystem

/// Reads secrets' values where the spec says they are: a file inside the project, or a
/// variable of wbuild's environment. Values are read each time a node that uses them is
/// evaluated, so a changed secret changes the node's fingerprint on the next pass.
public struct SecretResolver: Sendable {
    /// Largest secret file read (a secret is a password or a token, not a payload).
    public static let maximumFileSize = 64 * 1024

    public let projectRoot: String
    public let stateDirectory: String
    let environment: [String: String]

    public init(projectRoot: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.projectRoot = projectRoot
        self.stateDirectory = ProjectLayout(root: projectRoot).stateDirectory
        self.environment = environment
    }

    /// `resolve` on a thread of its own (it reads files), for async callers.
    public func resolveOffPool(_ specs: [SecretSpec]) async throws(SecretError) -> [ResolvedSecret] {
        guard !specs.isEmpty else { return [] }
        let result = await BlockingWork.run(name: "wbuild.secrets") { () -> Result<[ResolvedSecret], SecretError> in
            do throws(SecretError) { return .success(try self.resolve(specs)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Every secret's value and keyed digest, in order. Blocks (reads files).
    public func resolve(_ specs: [SecretSpec]) throws(SecretError) -> [ResolvedSecret] {
        guard !specs.isEmpty else { return [] }
        let key = try FingerprintKey.load(stateDirectory: stateDirectory)
        var resolved: [ResolvedSecret] = []
        for spec in specs {
            let value = try read(spec)
            resolved.append(ResolvedSecret(name: spec.name, value: SecretValue(value),
                                           digest: key.digest(name: spec.name, value: value)))
        }
        return resolved
    }

    /// The values that can be read now, skipping those that cannot (no digests, no key file
    /// made): for masking output, where a missing secret is simply nothing to mask.
    public func readableValues(_ specs: [SecretSpec]) -> [SecretValue] {
        specs.compactMap { spec in
            do throws(SecretError) { return SecretValue(try read(spec)) } catch { return nil }
        }
    }

    private func read(_ spec: SecretSpec) throws(SecretError) -> String {
        switch spec.source {
        case .environment(let name):
            guard let value = environment[name] else {
                throw SecretError(keyPath: spec.keyPath, "the variable \(name) is not set in wbuild's environment",
                                  hint: "export \(name)=… in the shell that runs wbuild, or read the secret from a file with `{ file: \"…\" }`")
            }
            return value
        case .file(let relative):
            return try readFile(relative, spec: spec)
        }
    }

    private func readFile(_ relative: String, spec: SecretSpec) throws(SecretError) -> String {
        let path = ProjectLayout(root: projectRoot).absolute(relative)
        let createHint = "create \(relative) (relative to wbuild.json) holding only the value, readable by you alone "
            + "(`chmod 600 \(relative)`), and keep it out of version control"
        guard let root = Self.realPath(projectRoot) else {
            throw SecretError(keyPath: spec.keyPath, "cannot resolve the project directory \(projectRoot)", hint: createHint)
        }
        guard let real = Self.realPath(path) else {
            let errno = Errno.current
            let why = errno == .noSuchFile ? "does not exist" : "cannot be read (\(errno))"
            throw SecretError(keyPath: spec.keyPath, "the secret file \(relative) \(why)", hint: createHint)
        }
        guard real == root || real.hasPrefix(root + "/") else {
            throw SecretError(keyPath: spec.keyPath, "the secret file \(relative) leads outside the project (to \(real))",
                              hint: "keep secret files inside the project, or read the value from a variable with `{ env: \"…\" }`")
        }
        let contents: [UInt8]?
        do throws(SystemError) {
            contents = try AtomicFile.read(real)
        } catch {
            throw SecretError(keyPath: spec.keyPath, "cannot read the secret file \(relative): \(error.errno)", hint: createHint)
        }
        guard let bytes = contents else {
            throw SecretError(keyPath: spec.keyPath, "the secret file \(relative) does not exist", hint: createHint)
        }
        guard bytes.count <= Self.maximumFileSize else {
            throw SecretError(keyPath: spec.keyPath, "the secret file \(relative) is larger than 64 KiB",
                              hint: "a secret file holds only the value (a password or a token)")
        }
        var text = bytes
        if text.last == UInt8(ascii: "\n") { text.removeLast() }
        if text.last == UInt8(ascii: "\r") { text.removeLast() }
        guard !text.contains(0), let value = String(validating: text, as: UTF8.self) else {
            throw SecretError(keyPath: spec.keyPath, "the secret file \(relative) is not UTF-8 text without NUL bytes",
                              hint: "an environment variable or build argument holds text; store binary secrets base64-encoded")
        }
        return value
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
