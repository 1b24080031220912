extension DockerClient {
    /// `GET /version`.
    public func version() async throws -> VersionInfo {
        try await decoding(VersionInfo.self, request("GET", "/version"))
    }

    /// `GET /info`: storage driver, runtimes (for GPU checks), CPUs, memory.
    public func info() async throws -> EngineInfo {
        try await decoding(EngineInfo.self, request("GET", "/info"))
    }
}
