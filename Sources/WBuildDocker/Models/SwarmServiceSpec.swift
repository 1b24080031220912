/// A Swarm service as `POST /services/create` and `/services/{id}/update` take it (Engine API
/// 1.41), with only the fields wbuild sets. Encoded with sorted keys, so equal specs are equal
/// bytes: what wbuild fingerprints.
public struct SwarmServiceSpec: Sendable, Codable, Equatable {
    public var Name: String
    public var Labels: [String: String]
    public var TaskTemplate: TaskSpec
    public var Mode: ServiceMode
    public var UpdateConfig: UpdateConfig?
    public var RollbackConfig: UpdateConfig?
    public var EndpointSpec: EndpointSpec?

    public init(Name: String, Labels: [String: String], TaskTemplate: TaskSpec, Mode: ServiceMode,
                UpdateConfig: UpdateConfig? = nil, RollbackConfig: UpdateConfig? = nil, EndpointSpec: EndpointSpec? = nil) {
        self.Name = Name
        self.Labels = Labels
        self.TaskTemplate = TaskTemplate
        self.Mode = Mode
        self.UpdateConfig = UpdateConfig
        self.RollbackConfig = RollbackConfig
        self.EndpointSpec = EndpointSpec
    }

    /// What each task runs.
    public struct TaskSpec: Sendable, Codable, Equatable {
        public var ContainerSpec: ContainerSpec
        public var Resources: Resources?
        public var RestartPolicy: RestartPolicy?
        public var Placement: Placement?
        public var Networks: [NetworkAttachment]?
        public var ForceUpdate: Int?

        public init(ContainerSpec: ContainerSpec, Resources: Resources? = nil, RestartPolicy: RestartPolicy? = nil,
                    Placement: Placement? = nil, Networks: [NetworkAttachment]? = nil, ForceUpdate: Int? = nil) {
            self.ContainerSpec = ContainerSpec
            self.Resources = Resources
            self.RestartPolicy = RestartPolicy
            self.Placement = Placement
            self.Networks = Networks
            self.ForceUpdate = ForceUpdate
        }
    }

    /// The container of a task. `Command` replaces the image's entrypoint, `Args` its command.
    public struct ContainerSpec: Sendable, Codable, Equatable {
        public var Image: String
        public var Labels: [String: String]?
        public var Command: [String]?
        public var Args: [String]?
        public var Dir: String?
        public var Env: [String]?
        public var Mounts: [Mount]?
        public var Secrets: [SecretReference]?
        public var Healthcheck: Healthcheck?
        /// Nanoseconds.
        public var StopGracePeriod: Int64?

        public init(Image: String, Labels: [String: String]? = nil, Command: [String]? = nil, Args: [String]? = nil,
                    Dir: String? = nil, Env: [String]? = nil, Mounts: [Mount]? = nil, Secrets: [SecretReference]? = nil,
                    Healthcheck: Healthcheck? = nil, StopGracePeriod: Int64? = nil) {
            self.Image = Image
            self.Labels = Labels
            self.Command = Command
            self.Args = Args
            self.Dir = Dir
            self.Env = Env
            self.Mounts = Mounts
            self.Secrets = Secrets
            self.Healthcheck = Healthcheck
            self.StopGracePeriod = StopGracePeriod
        }
    }

    /// A named volume mounted into each task.
    public struct Mount: Sendable, Codable, Equatable {
        public var `Type`: String
        public var Source: String
        public var Target: String
        public var ReadOnly: Bool?
        public init(Type: String, Source: String, Target: String, ReadOnly: Bool? = nil) {
            self.Type = `Type`
            self.Source = Source
            self.Target = Target
            self.ReadOnly = ReadOnly
        }
    }

    /// A Swarm secret mounted at `/run/secrets/<File.Name>`.
    public struct SecretReference: Sendable, Codable, Equatable {
        public struct File: Sendable, Codable, Equatable {
            public var Name: String
            public var UID: String
            public var GID: String
            public var Mode: UInt32
            public init(Name: String, UID: String = "0", GID: String = "0", Mode: UInt32 = 0o444) {
                self.Name = Name
                self.UID = UID
                self.GID = GID
                self.Mode = Mode
            }
        }
        public var File: File
        public var SecretID: String
        public var SecretName: String
        public init(File: File, SecretID: String, SecretName: String) {
            self.File = File
            self.SecretID = SecretID
            self.SecretName = SecretName
        }
    }

    /// Durations in nanoseconds, as the API takes them.
    public struct Healthcheck: Sendable, Codable, Equatable {
        public var Test: [String]
        public var Interval: Int64
        public var Timeout: Int64
        public var Retries: Int
        public var StartPeriod: Int64
        public init(Test: [String], Interval: Int64, Timeout: Int64, Retries: Int, StartPeriod: Int64) {
            self.Test = Test
            self.Interval = Interval
            self.Timeout = Timeout
            self.Retries = Retries
            self.StartPeriod = StartPeriod
        }
    }

    public struct Resources: Sendable, Codable, Equatable {
        public struct Values: Sendable, Codable, Equatable {
            public var NanoCPUs: Int64?
            public var MemoryBytes: Int64?
            public init(NanoCPUs: Int64? = nil, MemoryBytes: Int64? = nil) {
                self.NanoCPUs = NanoCPUs
                self.MemoryBytes = MemoryBytes
            }
        }
        public var Limits: Values?
        public var Reservations: Values?
        public init(Limits: Values? = nil, Reservations: Values? = nil) {
            self.Limits = Limits
            self.Reservations = Reservations
        }
    }

    public struct RestartPolicy: Sendable, Codable, Equatable {
        public var Condition: String
        /// Nanoseconds.
        public var Delay: Int64?
        public var MaxAttempts: Int?
        public init(Condition: String, Delay: Int64? = nil, MaxAttempts: Int? = nil) {
            self.Condition = Condition
            self.Delay = Delay
            self.MaxAttempts = MaxAttempts
        }
    }

    public struct Placement: Sendable, Codable, Equatable {
        public var Constraints: [String]?
        public init(Constraints: [String]? = nil) { self.Constraints = Constraints }
    }

    public struct NetworkAttachment: Sendable, Codable, Equatable {
        public var Target: String
        public var Aliases: [String]?
        public init(Target: String, Aliases: [String]? = nil) {
            self.Target = Target
            self.Aliases = Aliases
        }
    }

    public struct ServiceMode: Sendable, Codable, Equatable {
        public struct ReplicatedMode: Sendable, Codable, Equatable {
            public var Replicas: Int
            public init(Replicas: Int) { self.Replicas = Replicas }
        }
        /// One task on every node (`{}` on the wire).
        public struct GlobalMode: Sendable, Codable, Equatable {
            public init() {}
        }
        public var Replicated: ReplicatedMode?
        public var Global: GlobalMode?
        public init(replicas: Int) { Replicated = ReplicatedMode(Replicas: replicas) }
        private init(global: GlobalMode) { Global = global }
        /// A task on every node.
        public static var global: ServiceMode { ServiceMode(global: GlobalMode()) }
    }

    /// `UpdateConfig` and `RollbackConfig`. Durations in nanoseconds.
    public struct UpdateConfig: Sendable, Codable, Equatable {
        public var Parallelism: Int
        public var Delay: Int64?
        public var FailureAction: String?
        public var Monitor: Int64?
        public var MaxFailureRatio: Double?
        public var Order: String
        public init(Parallelism: Int, Delay: Int64? = nil, FailureAction: String? = nil, Monitor: Int64? = nil,
                    MaxFailureRatio: Double? = nil, Order: String) {
            self.Parallelism = Parallelism
            self.Delay = Delay
            self.FailureAction = FailureAction
            self.Monitor = Monitor
            self.MaxFailureRatio = MaxFailureRatio
            self.Order = Order
        }
    }

    public struct EndpointSpec: Sendable, Codable, Equatable {
        public struct Port: Sendable, Codable, Equatable {
            public var `Protocol`: String
            public var TargetPort: Int
            public var PublishedPort: Int?
            public var PublishMode: String
            public init(Protocol: String = "tcp", TargetPort: Int, PublishedPort: Int? = nil, PublishMode: String = "host") {
                self.Protocol = `Protocol`
                self.TargetPort = TargetPort
                self.PublishedPort = PublishedPort
                self.PublishMode = PublishMode
            }
        }
        public var Mode: String
        public var Ports: [Port]?
        public init(Mode: String, Ports: [Port]? = nil) {
            self.Mode = Mode
            self.Ports = Ports
        }
    }
}
