#if canImport(Glibc)
import Glibc
#endif
import WBuildCore
import WBuildSystem

/// The project's random key for digests of secrets, in `.wbuild/fingerprint-key` (32 bytes,
/// mode 0600, made on first use).
///
/// Fingerprints end up where others may read them (container and image labels, which every
/// docker-group user sees; `state.json`). A plain SHA-256 over a short password can be
/// brute-forced offline from such a label, so a secret enters a fingerprint only as
/// HMAC-SHA-256 under this key: it still changes whenever the secret does, and says nothing
/// without the key. Removing `.wbuild/` makes a new key, so workloads and images that use
/// secrets are restarted or rebuilt once.
public struct FingerprintKey: Sendable, Equatable {
    public static let fileName = "fingerprint-key"
    static let length = 32

    let bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The key of the project whose state directory is `stateDirectory`, created when missing.
    /// Two processes starting at once agree on one key (it is published with `link`, which
    /// fails when the file exists, and the loser reads the winner's).
    public static func load(stateDirectory: String) throws(SecretError) -> FingerprintKey {
        let path = stateDirectory + "/" + fileName
        func failure(_ error: SystemError) -> SecretError {
            SecretError(keyPath: path, "cannot read or create the key for digests of secrets: \(error)",
                        hint: "check that \(stateDirectory) is yours and writable; removing the file makes a new key")
        }
        do throws(SystemError) {
            if let existing = try AtomicFile.read(path), existing.count == length { return FingerprintKey(bytes: existing) }
            try AtomicFile.makeDirectories(stateDirectory)
            var generator = SystemRandomNumberGenerator()
            let fresh = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try AtomicFile.write(fresh, to: temporary)
            defer { unlink(temporary) }
            if link(temporary, path) == 0 { return FingerprintKey(bytes: fresh) }
            let errno = Errno.current
            if errno.rawValue == EEXIST, let winner = try AtomicFile.read(path), winner.count == length {
                return FingerprintKey(bytes: winner)
            }
            if errno.rawValue == EEXIST {
                // A damaged key (wrong length): replace it; fingerprints using secrets change once.
                try AtomicFile.write(fresh, to: path)
                return FingerprintKey(bytes: fresh)
            }
            throw SystemError("link", path: path, errno: errno)
        } catch {
            throw failure(error)
        }
    }

    /// Hex HMAC-SHA-256 of `name` and `value` (length-prefixed, so no two pairs collide).
    func digest(name: String, value: String) -> String {
        var message: [UInt8] = []
        for field in [Array("wbuild secret 1".utf8), Array(name.utf8), Array(value.utf8)] {
            withUnsafeBytes(of: UInt64(field.count).bigEndian) { message += $0 }
            message += field
        }
        return HMACSHA256.authenticationCode(key: bytes, message: message).hexString
    }
}
