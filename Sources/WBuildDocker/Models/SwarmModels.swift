/// This engine's place in a swarm (`GET /info`'s `Swarm`).
public struct SwarmMembership: Sendable, Decodable, Equatable {
    /// `inactive`, `pending`, `active`, `error`, `locked`.
    public var localNodeState: String
    public var nodeID: String
    public var isManager: Bool
    public var nodeAddress: String

    enum CodingKeys: String, CodingKey {
        case localNodeState = "LocalNodeState", nodeID = "NodeID", isManager = "ControlAvailable", nodeAddress = "NodeAddr"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        localNodeState = try container.decodeIfPresent(String.self, forKey: .localNodeState) ?? "inactive"
        nodeID = try container.decodeIfPresent(String.self, forKey: .nodeID) ?? ""
        isManager = try container.decodeIfPresent(Bool.self, forKey: .isManager) ?? false
        nodeAddress = try container.decodeIfPresent(String.self, forKey: .nodeAddress) ?? ""
    }
}

/// A service as `GET /services` lists it: its id, the version an update must name, its spec
/// and the state of its last update.
public struct SwarmService: Sendable, Decodable, Equatable {
    public struct Version: Sendable, Decodable, Equatable { public var Index: Int }
    public struct UpdateStatus: Sendable, Decodable, Equatable {
        /// `updating`, `paused`, `completed`, `rollback_started`, `rollback_paused`, `rollback_completed`.
        public var State: String?
        public var Message: String?
    }
    /// What wbuild reads back of the live spec (the rest it sends whole on update).
    public struct LiveSpec: Sendable, Decodable, Equatable {
        public struct Mode: Sendable, Decodable, Equatable {
            public struct Replicated: Sendable, Decodable, Equatable { public var Replicas: Int? }
            public struct Global: Sendable, Decodable, Equatable {}
            public var Replicated: Replicated?
            /// Present for a service with a task on every node.
            public var Global: Global?
        }
        public var Name: String
        public var Labels: [String: String]?
        public var Mode: Mode?
    }
    public var ID: String
    public var Version: Version
    public var Spec: LiveSpec
    public var UpdateStatus: UpdateStatus?
}

/// A task as `GET /tasks` lists it.
public struct SwarmTask: Sendable, Decodable, Equatable {
    public struct Status: Sendable, Decodable, Equatable {
        /// `new` … `running`, `complete`, `failed`, `rejected`, `shutdown`, `orphaned`.
        public var State: String
        public var Message: String?
        public var Err: String?
        public var ContainerStatus: ContainerStatus?
        public var Timestamp: String?
    }
    public struct ContainerStatus: Sendable, Decodable, Equatable {
        public var ContainerID: String?
        public var ExitCode: Int?
    }
    public struct Spec: Sendable, Decodable, Equatable {
        public struct Container: Sendable, Decodable, Equatable { public var Image: String? }
        public var ContainerSpec: Container?
    }
    public var ID: String
    public var ServiceID: String
    public var NodeID: String?
    public var Slot: Int?
    public var DesiredState: String
    public var Status: Status
    public var Spec: Spec?
    public var Version: SwarmService.Version?
}

/// A node as `GET /nodes` lists it.
public struct SwarmNode: Sendable, Decodable, Equatable {
    public struct Spec: Sendable, Decodable, Equatable {
        public var Labels: [String: String]?
        public var Availability: String?
        public var Role: String?
    }
    public struct Description: Sendable, Decodable, Equatable { public var Hostname: String? }
    public struct Status: Sendable, Decodable, Equatable {
        /// `ready`, `down`, `unknown`, `disconnected`.
        public var State: String
        public var Addr: String?
    }
    public var ID: String
    public var Spec: Spec
    public var Description: Description?
    public var Status: Status
}

/// A secret as `GET /secrets` lists it (never its data: the engine does not return it).
public struct SwarmSecret: Sendable, Decodable, Equatable {
    public struct Spec: Sendable, Decodable, Equatable {
        public var Name: String
        public var Labels: [String: String]?
    }
    public var ID: String
    public var Spec: Spec
}
