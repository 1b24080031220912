import Synchronization
import WBuildDocker

/// The per-container secrets of the helpers' control channels (`wbuild-control.h`). wbuild makes
/// one for every container that runs a helper and writes it to `/.wbuild/secret` (mode 0400,
/// uid 0) through the engine's archive API before the container starts, in the same tar as the
/// helper when it is injected (`SupervisorInjection`, the front door). It is kept in memory for
/// the containers this process created; for one it did not (adopted after a restart of wbuild,
/// `wbuild status`) it is read back once with `GET /containers/{id}/archive` and kept. It is never
/// on a command line, in the environment or in a label, so neither `ps` nor `docker inspect`
/// shows it.
public enum ControlSecrets {
    /// Where a helper reads its secret in the container.
    public static let containerPath = "/.wbuild/secret"

    private static let known = Mutex<[String: String]>([:])

    /// A fresh secret for `containerID`, remembered, and the tar entries that put it in place
    /// (with `/.wbuild`, which the caller's archive may also hold), owned by `owner`: the user
    /// the helper runs as (root for the door; the image's `USER` for a supervised workload).
    static func fresh(for containerID: String, owner: ContainerUser = .root) -> (secret: String, entries: [TarEntry]) {
        let secret = ControlEndpoint.freshToken()
        known.withLock { $0[containerID] = secret }
        return (secret, [
            TarEntry(path: ".wbuild", kind: .directory, header: TarHeaderFields(mode: 0o755)),
            TarEntry(path: ".wbuild/secret", kind: .file(.bytes(Array(secret.utf8))),
                     header: TarHeaderFields(mode: 0o400, uid: owner.uid, gid: owner.gid)),
        ])
    }

    /// The secret of the container `id` (also known as `otherID`, say its full id beside a short
    /// one): remembered, or read back from the container. Nil when it has none (it was not started
    /// by this version of wbuild) or the engine cannot say.
    public static func secret(of id: String, alsoKnownAs otherID: String? = nil, client: DockerClient) async -> String? {
        let remembered = known.withLock { cache -> String? in
            if let secret = cache[id] { return secret }
            return otherID.flatMap { cache[$0] }
        }
        if let remembered { return remembered }
        guard let tar = try? await client.getArchive(id, path: containerPath),
              let bytes = SingleFileTar.contents(of: tar) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let secret = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard ControlEndpoint.isWellFormedSecret(secret) else { return nil }
        known.withLock { cache in
            cache[id] = secret
            if let otherID { cache[otherID] = secret }
        }
        return secret
    }

    /// Forgets the secret of a removed container.
    public static func forget(_ id: String) {
        _ = known.withLock { $0.removeValue(forKey: id) }
    }
}

/// Reads the one regular file of a tar the engine's archive API returns for a file path (ustar
/// or GNU headers, PAX and GNU long-name entries skipped). Nil when there is none or the tar is cut.
enum SingleFileTar {
    static func contents(of tar: [UInt8]) -> [UInt8]? {
        var offset = 0
        while offset + 512 <= tar.count {
            let header = tar[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { return nil }
            guard let size = octal(tar[(offset + 124)..<(offset + 136)]) else { return nil }
            let type = tar[offset + 156]
            let start = offset + 512
            guard start + size <= tar.count else { return nil }
            if type == UInt8(ascii: "0") || type == 0 { return Array(tar[start..<start + size]) }
            offset = start + (size + 511) / 512 * 512
        }
        return nil
    }

    /// A NUL- or space-terminated octal field.
    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var digits = 0
        for byte in field {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if digits > 0 { break } else { continue }
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte), digits < 11 else { return nil }
            value = value * 8 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
