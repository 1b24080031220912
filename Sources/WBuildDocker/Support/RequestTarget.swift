/// How a request target is shown to people: the call's path without the API version prefix
/// and without its query, so `/v1.41/build?t=…&buildargs=…` reads `/build`.
///
/// Query values carry what the user may hold secret (build arguments, labels, filters); they
/// never go into an error, an event, a log line or a thread name. Everything that names a call
/// goes through here.
enum RequestTarget {
    /// `target` without its query (everything from the first `?` or `#`) and without a leading
    /// `/v<major>.<minor>` segment.
    static func redacted(_ target: String) -> String {
        var path = Substring(target)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        if path.hasPrefix("/v") {
            let segmentEnd = path.dropFirst().firstIndex(of: "/") ?? path.endIndex
            let version = path[path.index(path.startIndex, offsetBy: 2)..<segmentEnd]
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
                path = segmentEnd == path.endIndex ? "/" : path[segmentEnd...]
            }
        }
        return String(path)
    }
}

extension HTTPRequest {
    /// The call as people see it: `POST /build`, never the query.
    var call: String { "\(method) \(RequestTarget.redacted(target))" }
}
