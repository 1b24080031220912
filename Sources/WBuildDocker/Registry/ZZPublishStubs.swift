// TEMPORARY: stands in for wt-creds' credentials until it merges. Deleted at the merge.
import Foundation

public struct RegistryAuth: Sendable, Equatable, CustomStringConvertible {
    public enum Source: Sendable, Equatable { case none; case configFile(String); case helper(String) }
    public var serverAddress: String
    public var username: String?
    public var password: String?
    public var identityToken: String?
    public var source: Source
    public static func anonymous(_ serverAddress: String) -> RegistryAuth {
        RegistryAuth(serverAddress: serverAddress, username: nil, password: nil, identityToken: nil, source: .none)
    }
    public var isAnonymous: Bool { username == nil && identityToken == nil }
    public var headerValue: String { "e30=" }
    public var description: String { "no login" }
}

public struct DockerCredentialStore: Sendable {
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {}
    public var configPath: String { "" }
    public func auth(for registryHost: String) async throws(CredentialError) -> RegistryAuth { .anonymous(registryHost) }
}

public struct CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var hint: String
    public var description: String { message }
}

public enum RegistryProblem: Sendable, Equatable { case unreachable, unauthorized, notFound, other }

extension DockerClient {
    public static func registryProblem(in engineMessage: String) -> RegistryProblem {
        let lower = engineMessage.lowercased()
        if lower.contains("connection refused") || lower.contains("no such host") { return .unreachable }
        if lower.contains("unauthorized") || lower.contains("authentication required") { return .unauthorized }
        if lower.contains("not found") { return .notFound }
        return .other
    }
    public func pushImage(_ repository: String, tag: String, auth: RegistryAuth?,
                          onProgress: @escaping @Sendable (PullProgress) -> Void = { _ in }) async throws -> String {
        try await pushImage(repository, tag: tag, onProgress: onProgress)
    }
    public func distributionInspect(_ reference: String, auth: RegistryAuth?) async throws -> String? {
        try await distributionInspect(reference)
    }
    public func checkLogin(_ auth: RegistryAuth) async throws {}
}
