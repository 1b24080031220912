/// One line of the engine's JSON progress stream (build, pull, push): `stream`, `status`,
/// `progressDetail`, `aux`, and `error`/`errorDetail` for in-band failures.
public struct ProgressMessage: Sendable, Decodable, Equatable {
    /// `progressDetail`: bytes done and expected for one layer.
    public struct Detail: Sendable, Decodable, Equatable {
        public var current: Int64?
        public var total: Int64?
    }

    /// `errorDetail`: an in-band failure's message and code.
    public struct ErrorDetail: Sendable, Decodable, Equatable {
        public var code: Int?
        public var message: String?
    }

    /// `aux` objects: `ID` at the end of a build stage, `Digest`/`Tag`/`Size` after a push.
    public struct Aux: Sendable, Decodable, Equatable {
        public var id: String?
        public var digest: String?
        public var tag: String?
        public var size: Int64?

        enum CodingKeys: String, CodingKey {
            case id = "ID", digest = "Digest", tag = "Tag", size = "Size"
        }
    }

    public var stream: String?
    public var status: String?
    public var id: String?
    public var progress: String?
    public var progressDetail: Detail?
    public var error: String?
    public var errorDetail: ErrorDetail?
    public var aux: Aux?

    /// The in-band error message, if this line reports one.
    public var errorMessage: String? { errorDetail?.message ?? error }
}
