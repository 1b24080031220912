/// One entry of an ordered string map from the project file: an env variable, a build argument.
public struct KeyValuePair: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
