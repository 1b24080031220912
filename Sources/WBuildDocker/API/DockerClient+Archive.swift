extension DockerClient {
    /// `GET /containers/{id}/archive?path=`: a tar holding `path` (a file, or a directory with its
    /// contents) as the container's file system has it; works on stopped containers too. A missing
    /// path or container is `.notFound`.
    public func getArchive(_ id: String, path: String) async throws -> [UInt8] {
        try await transport.send(request("GET", "/containers/\(PathSegment.escapeName(id))/archive", query: [("path", path)],
                                         isIdempotent: true)).body
    }
}
