/// The body of `POST /containers/create`, field for field (engine API 1.41 names in `CodingKeys`).
/// Only fields that are set are sent.
public struct ContainerConfig: Codable, Sendable, Equatable {
    public var image: String
    public var cmd: [String]?
    public var entrypoint: [String]?
    /// `KEY=value` entries.
    public var env: [String]?
    public var workingDir: String?
    public var user: String?
    public var labels: [String: String]?
    /// Keys like `8080/tcp`; needed for `HostConfig.portBindings` to publish anything.
    public var exposedPorts: [String: EmptyObject]?
    public var healthcheck: HealthConfig?
    public var tty: Bool?
    public var openStdin: Bool?
    public var stopSignal: String?
    public var stopTimeout: Int?
    public var hostConfig: HostConfig?
    public var networkingConfig: NetworkingConfig?

    enum CodingKeys: String, CodingKey {
        case image = "Image", cmd = "Cmd", entrypoint = "Entrypoint", env = "Env", workingDir = "WorkingDir", user = "User"
        case labels = "Labels", exposedPorts = "ExposedPorts", healthcheck = "Healthcheck", tty = "Tty", openStdin = "OpenStdin"
        case stopSignal = "StopSignal", stopTimeout = "StopTimeout", hostConfig = "HostConfig", networkingConfig = "NetworkingConfig"
    }

    public init(image: String, cmd: [String]? = nil, entrypoint: [String]? = nil, env: [String]? = nil,
                workingDir: String? = nil, user: String? = nil, labels: [String: String]? = nil,
                exposedPorts: [String: EmptyObject]? = nil, healthcheck: HealthConfig? = nil, tty: Bool? = nil,
                openStdin: Bool? = nil, stopSignal: String? = nil, stopTimeout: Int? = nil,
                hostConfig: HostConfig? = nil, networkingConfig: NetworkingConfig? = nil) {
        self.image = image
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.labels = labels
        self.exposedPorts = exposedPorts
        self.healthcheck = healthcheck
        self.tty = tty
        self.openStdin = openStdin
        self.stopSignal = stopSignal
        self.stopTimeout = stopTimeout
        self.hostConfig = hostConfig
        self.networkingConfig = networkingConfig
    }
}

/// `{}` in JSON (values of `ExposedPorts`).
public struct EmptyObject: Codable, Sendable, Equatable {
    public init() {}
}

/// `Healthcheck`: durations in nanoseconds.
public struct HealthConfig: Codable, Sendable, Equatable {
    /// e.g. `["CMD-SHELL", "test -f /tmp/healthy"]`.
    public var test: [String]
    public var interval: Int64?
    public var timeout: Int64?
    public var retries: Int?
    public var startPeriod: Int64?

    enum CodingKeys: String, CodingKey {
        case test = "Test", interval = "Interval", timeout = "Timeout", retries = "Retries", startPeriod = "StartPeriod"
    }

    public init(test: [String], interval: Int64? = nil, timeout: Int64? = nil, retries: Int? = nil, startPeriod: Int64? = nil) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
    }
}

/// `HostConfig`: ports, binds, resources, network mode, GPUs.
public struct HostConfig: Codable, Sendable, Equatable {
    /// Keys like `8080/tcp`.
    public var portBindings: [String: [PortBinding]]?
    /// `/abs/host:/container[:ro]`.
    public var binds: [String]?
    public var memory: Int64?
    public var nanoCpus: Int64?
    /// `bridge`, a network name, or `container:<id>` for sidecars.
    public var networkMode: String?
    public var autoRemove: Bool?
    public var restartPolicy: RestartPolicy?
    /// GPUs: `[DeviceRequest(driver: "nvidia", count: -1, capabilities: [["gpu"]])]`.
    public var deviceRequests: [DeviceRequest]?
    public var runtime: String?
    /// Run the engine's init (tini, `docker-init`) as PID 1 in front of the process: it forwards
    /// signals and reaps zombies. (API ≥ 1.25.)
    public var `init`: Bool?

    enum CodingKeys: String, CodingKey {
        case portBindings = "PortBindings", binds = "Binds", memory = "Memory", nanoCpus = "NanoCpus"
        case networkMode = "NetworkMode", autoRemove = "AutoRemove", restartPolicy = "RestartPolicy"
        case deviceRequests = "DeviceRequests", runtime = "Runtime", `init` = "Init"
    }

    public init(portBindings: [String: [PortBinding]]? = nil, binds: [String]? = nil, memory: Int64? = nil,
                nanoCpus: Int64? = nil, networkMode: String? = nil, autoRemove: Bool? = nil,
                restartPolicy: RestartPolicy? = nil, deviceRequests: [DeviceRequest]? = nil, runtime: String? = nil,
                init: Bool? = nil) {
        self.portBindings = portBindings
        self.binds = binds
        self.memory = memory
        self.nanoCpus = nanoCpus
        self.networkMode = networkMode
        self.autoRemove = autoRemove
        self.restartPolicy = restartPolicy
        self.deviceRequests = deviceRequests
        self.runtime = runtime
        self.`init` = `init`
    }
}

/// One host binding of a container port; an empty or `"0"` `hostPort` lets the engine choose.
public struct PortBinding: Codable, Sendable, Equatable {
    public var hostIp: String?
    public var hostPort: String?

    enum CodingKeys: String, CodingKey {
        case hostIp = "HostIp", hostPort = "HostPort"
    }

    public init(hostIp: String? = nil, hostPort: String? = nil) {
        self.hostIp = hostIp
        self.hostPort = hostPort
    }
}

/// `RestartPolicy`: `no`, `always`, `unless-stopped`, `on-failure`.
public struct RestartPolicy: Codable, Sendable, Equatable {
    public var name: String
    public var maximumRetryCount: Int?

    enum CodingKeys: String, CodingKey {
        case name = "Name", maximumRetryCount = "MaximumRetryCount"
    }

    public init(name: String, maximumRetryCount: Int? = nil) {
        self.name = name
        self.maximumRetryCount = maximumRetryCount
    }
}

/// A device request (GPUs).
public struct DeviceRequest: Codable, Sendable, Equatable {
    public var driver: String?
    /// -1 for all.
    public var count: Int?
    public var capabilities: [[String]]?

    enum CodingKeys: String, CodingKey {
        case driver = "Driver", count = "Count", capabilities = "Capabilities"
    }

    public init(driver: String? = nil, count: Int? = nil, capabilities: [[String]]? = nil) {
        self.driver = driver
        self.count = count
        self.capabilities = capabilities
    }
}

/// `NetworkingConfig`: the networks to join at create time, with aliases.
public struct NetworkingConfig: Codable, Sendable, Equatable {
    public var endpointsConfig: [String: EndpointSettings]

    enum CodingKeys: String, CodingKey {
        case endpointsConfig = "EndpointsConfig"
    }

    public init(endpointsConfig: [String: EndpointSettings]) {
        self.endpointsConfig = endpointsConfig
    }
}

/// One network's settings for a container.
public struct EndpointSettings: Codable, Sendable, Equatable {
    public var aliases: [String]?

    enum CodingKeys: String, CodingKey {
        case aliases = "Aliases"
    }

    public init(aliases: [String]? = nil) {
        self.aliases = aliases
    }
}
