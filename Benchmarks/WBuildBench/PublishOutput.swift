import Foundation

/// One entry of `.wbuild/out/images.json` as `wbuild publish` writes it:
/// `{"imageName":"api","tag":"127.0.0.1:5123/shop/api:3f2a…@sha256:…"}`, split into the parts
/// the publish suite checks against the registry and pushes again with `docker push`.
struct PublishedImage: Sendable, Equatable {
    var workload: String
    /// `host[:port]`, e.g. `127.0.0.1:5123`.
    var host: String
    /// The repository path after the host, e.g. `shop/api`.
    var repository: String
    var tag: String
    /// `sha256:…`, when the entry carries one.
    var digest: String?

    /// `host/repository:tag`, without the digest: what `docker push` is given.
    var reference: String { "\(host)/\(repository):\(tag)" }

    /// `nil` unless `text` is `host/repository:tag` with an optional `@digest`.
    init?(workload: String, reference text: String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard let named = parts.first, let slash = named.firstIndex(of: "/") else { return nil }
        let path = named[named.index(after: slash)...]
        guard let colon = path.lastIndex(of: ":"), !path[path.index(after: colon)...].contains("/") else { return nil }
        host = String(named[..<slash])
        repository = String(path[..<colon])
        tag = String(path[path.index(after: colon)...])
        guard !host.isEmpty, !repository.isEmpty, !tag.isEmpty else { return nil }
        self.workload = workload
        digest = parts.count == 2 ? parts[1] : nil
    }

    /// The entries of an `images.json`; `nil` when it is not `{"builds":[…]}` or an entry cannot be read.
    static func parse(_ data: Data) -> [PublishedImage]? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let builds = object["builds"] as? [[String: Any]] else { return nil }
        var images: [PublishedImage] = []
        for build in builds {
            guard let name = build["imageName"] as? String, let tag = build["tag"] as? String,
                  let image = PublishedImage(workload: name, reference: tag) else { return nil }
            images.append(image)
        }
        return images
    }

    /// `ROOT/.wbuild/out/images.json`, read; `nil` when it is missing or unreadable.
    static func read(project root: String) -> [PublishedImage]? {
        guard let data = FileManager.default.contents(atPath: imagesFile(root)) else { return nil }
        return parse(data)
    }

    static func imagesFile(_ root: String) -> String { root + "/.wbuild/out/images.json" }
}

/// What `wbuild publish --json` said it did: each node's final status, from its `node.done`
/// events and the closing `{"type":"result"}` line (which wins), and whether that result was ok.
struct PublishOutcome: Sendable {
    /// Node id → status (`built`, `cached`, `failed`, …).
    var statuses: [String: String] = [:]
    /// The result line's `ok`; `nil` when there was none.
    var ok: Bool?
    /// The result line's `ms`: the pass without process start and exit.
    var milliseconds: Double?

    init(lines: [String]) {
        for line in lines {
            guard let object = JSONLine.object(line) else { continue }
            switch object["type"] as? String {
            case "node.done":
                if let id = object["id"] as? String, let status = object["status"] as? String { statuses[id] = status }
            case "result":
                ok = object["ok"] as? Bool ?? false
                milliseconds = (object["ms"] as? NSNumber)?.doubleValue
                for node in object["nodes"] as? [[String: Any]] ?? [] {
                    if let id = node["id"] as? String, let status = node["status"] as? String { statuses[id] = status }
                }
            default:
                continue
            }
        }
    }

    init(_ run: TimedRun) {
        self.init(lines: run.output.filter { $0.stream == .stdout }.map(\.line))
    }

    /// A node that pushes one image (`publish:api`).
    static func isPushNode(_ id: String) -> Bool { id.hasPrefix("publish:") || id.hasPrefix("push:") }

    /// Push nodes that ran (pushed something).
    var pushed: [String] { statuses.filter { Self.isPushNode($0.key) && ($0.value == "built" || $0.value == "ran") }.keys.sorted() }
    /// Push nodes that were up to date (the registry had the image).
    var skipped: [String] { statuses.filter { Self.isPushNode($0.key) && $0.value == "cached" }.keys.sorted() }
    /// Image nodes that built, which a publish of built images should not do.
    var built: [String] { statuses.filter { $0.key.hasPrefix("image:") && $0.value == "built" }.keys.sorted() }
    /// Nodes that failed or could not run.
    var failed: [String] { statuses.filter { $0.value == "failed" || $0.value == "blocked" }.keys.sorted() }

    var summary: String {
        var counts: [String: Int] = [:]
        for status in statuses.values { counts[status, default: 0] += 1 }
        return counts.isEmpty ? "no nodes" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            .joined(separator: ", ")
    }
}
