import WBuildDocker

/// The numeric owner a container's process runs as, from its `Config.User` (`name`, `uid`,
/// `name:group`, `uid:gid`; empty for root), looked up in the image's own `/etc/passwd` and
/// `/etc/group` the way the runtime does: a helper's secret file is given to that owner, so a
/// supervisor that runs as the image's `USER` can read it.
struct ContainerUser: Sendable, Equatable {
    var uid: Int
    var gid: Int

    static let root = ContainerUser(uid: 0, gid: 0)

    /// Resolves `user`; `readFile` reads a file of the container (nil when it has none). A name
    /// the image does not know is root, whose secret the supervisor then cannot read: it refuses
    /// every connection and syncs go through the engine, as before this lookup existed.
    static func resolve(_ user: String, readFile: (String) async -> [UInt8]?) async -> ContainerUser {
        let parts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts.first ?? ""
        guard !name.isEmpty, name != "root", name != "0" || parts.count > 1 else { return .root }
        let passwd = await readFile("/etc/passwd").map { Self.entries(String(decoding: $0, as: UTF8.self)) } ?? []
        var resolved: ContainerUser
        if let uid = Int(name), uid >= 0 {
            let primary = passwd.first { $0.count > 3 && Int($0[2]) == uid }.flatMap { Int($0[3]) } ?? 0
            resolved = ContainerUser(uid: uid, gid: primary)
        } else if let entry = passwd.first(where: { $0.count > 3 && $0[0] == name }), let uid = Int(entry[2]), let gid = Int(entry[3]) {
            resolved = ContainerUser(uid: uid, gid: gid)
        } else {
            return .root
        }
        if parts.count > 1, !parts[1].isEmpty {
            if let gid = Int(parts[1]), gid >= 0 {
                resolved.gid = gid
            } else {
                let groups = await readFile("/etc/group").map { Self.entries(String(decoding: $0, as: UTF8.self)) } ?? []
                if let gid = groups.first(where: { $0.count > 2 && $0[0] == parts[1] }).flatMap({ Int($0[2]) }) { resolved.gid = gid }
            }
        }
        return resolved
    }

    /// The colon-separated fields of each line of a passwd- or group-style file.
    private static func entries(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The owner of container `id`'s process, looked up in its files through the engine.
    static func of(container id: String, client: DockerClient) async -> ContainerUser {
        guard let user = try? await client.inspectContainer(id)?.user, !user.isEmpty else { return .root }
        return await resolve(user) { path in
            guard let tar = try? await client.getArchive(id, path: path) else { return nil }
            return SingleFileTar.contents(of: tar)
        }
    }
}
