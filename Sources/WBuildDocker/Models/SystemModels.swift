/// `GET /version`: the engine's release and API range.
public struct VersionInfo: Sendable, Decodable, Equatable {
    public var version: String
    public var apiVersion: String
    public var minAPIVersion: String?
    public var os: String?
    public var arch: String?
    public var kernelVersion: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version", apiVersion = "ApiVersion", minAPIVersion = "MinAPIVersion"
        case os = "Os", arch = "Arch", kernelVersion = "KernelVersion"
    }
}

/// `GET /info`: what `wbuild doctor` and GPU checks need from the engine's configuration.
public struct EngineInfo: Sendable, Decodable, Equatable {
    public var serverVersion: String?
    /// Storage driver, e.g. `overlay2` or `vfs`.
    public var storageDriver: String?
    /// Names of the configured OCI runtimes (`runc`, `nvidia` when GPU support is set up).
    public var runtimes: [String]
    public var defaultRuntime: String?
    public var cpuCount: Int?
    public var memoryBytes: Int64?
    public var operatingSystem: String?
    public var cgroupVersion: String?

    enum CodingKeys: String, CodingKey {
        case serverVersion = "ServerVersion", storageDriver = "Driver", runtimes = "Runtimes"
        case defaultRuntime = "DefaultRuntime", cpuCount = "NCPU", memoryBytes = "MemTotal"
        case operatingSystem = "OperatingSystem", cgroupVersion = "CgroupVersion"
    }

    private struct AnyValue: Decodable {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverVersion = try container.decodeIfPresent(String.self, forKey: .serverVersion)
        storageDriver = try container.decodeIfPresent(String.self, forKey: .storageDriver)
        runtimes = (try container.decodeIfPresent([String: AnyValue].self, forKey: .runtimes) ?? [:]).keys.sorted()
        defaultRuntime = try container.decodeIfPresent(String.self, forKey: .defaultRuntime)
        cpuCount = try container.decodeIfPresent(Int.self, forKey: .cpuCount)
        memoryBytes = try container.decodeIfPresent(Int64.self, forKey: .memoryBytes)
        operatingSystem = try container.decodeIfPresent(String.self, forKey: .operatingSystem)
        cgroupVersion = try container.decodeIfPresent(String.self, forKey: .cgroupVersion)
    }
}
