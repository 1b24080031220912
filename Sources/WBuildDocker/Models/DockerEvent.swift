/// One engine event (`GET /events`): container start/die, network create, …
public struct DockerEvent: Sendable, Equatable, Decodable {
    /// `container`, `network`, `image`, `volume`.
    public var type: String
    /// `start`, `die`, `health_status: healthy`, …
    public var action: String
    public var actorID: String
    /// Container labels, plus `exitCode` on `die`, `name`, `image`, `signal`.
    public var attributes: [String: String]
    public var time: Int64
    public var timeNano: Int64?

    enum CodingKeys: String, CodingKey {
        case type = "Type", action = "Action", actor = "Actor", time, timeNano
    }

    private struct Actor: Decodable {
        var ID: String?
        var Attributes: [String: String]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        action = try container.decodeIfPresent(String.self, forKey: .action) ?? ""
        let actor = try container.decodeIfPresent(Actor.self, forKey: .actor)
        actorID = actor?.ID ?? ""
        attributes = actor?.Attributes ?? [:]
        time = try container.decodeIfPresent(Int64.self, forKey: .time) ?? 0
        timeNano = try container.decodeIfPresent(Int64.self, forKey: .timeNano)
    }
}
