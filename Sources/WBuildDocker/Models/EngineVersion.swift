import Foundation

/// A Docker Engine API version such as 1.41, ordered numerically (1.9 < 1.41).
public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `"1.41"`.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}

/// What `ping()` learned: the version in use and what the engine offers.
public struct EngineVersion: Sendable, Equatable {
    /// The version every path is prefixed with: the lower of the engine's and ours.
    public var negotiated: APIVersion
    /// The engine's `Api-Version` header.
    public var engineAPIVersion: APIVersion
    /// `Ostype` header, e.g. `linux`.
    public var osType: String?
    /// `Server` header, e.g. `Docker/20.10.24+dfsg1 (linux)`.
    public var server: String?
    public var experimental: Bool
}
