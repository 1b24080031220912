import WBuildSystem
import Foundation

/// A static helper executable the `SupervisorBuilder` plugin links as a resource of this module
/// (`wbuild-init`, `wbuild-door`, `wbuild-router`): where it is on the host and its bytes, read once. Each helper's
/// enum (`SupervisorBinary`, `DoorBinary`, `RouterBinary`) turns a `Failure` into its own feature's error.
public struct ResourceBinary: Sendable {
    /// Why the binary could not be had.
    public enum Failure: Error, CustomStringConvertible {
        /// None of the candidate paths is an executable file.
        case missing(candidates: [String])
        /// The file is there but could not be read.
        case unreadable(path: String, cause: any Error)

        public var description: String {
            switch self {
            case .missing(let candidates): "not found at \(candidates.joined(separator: " or "))"
            case .unreadable(let path, let cause): "cannot read \(path): \(cause)"
            }
        }
    }

    /// Every helper wbuild ships (for `wbuild doctor`).
    public static var bundled: [ResourceBinary] { [SupervisorBinary.resource, DoorBinary.resource, RouterBinary.resource] }

    /// The executable's name in the resource bundle, e.g. `wbuild-door`.
    public let name: String
    /// The environment variable that overrides where it is found (for an installed wbuild whose
    /// resources moved).
    public let pathVariable: String

    /// What to do when the binary is missing.
    public var hint: String {
        "rebuild with `swift build` (the SupervisorBuilder plugin needs /usr/bin/cc and a static libc: "
            + "Debian gcc and libc6-dev), install wbuild with scripts/install.sh (it puts the helpers in "
            + "PREFIX/libexec/wbuild), or set \(pathVariable) to the binary"
    }

    /// The path of the built binary on the host, the first of: `$pathVariable`; the module's
    /// resource bundle beside the running executable (`wbuild_WBuildWorkloads.resources/<name>`,
    /// where SwiftPM puts it for `wbuild` and the test runner alike); `../libexec/wbuild/<name>`
    /// from the executable's directory (an installed or unpacked wbuild: `scripts/install.sh`,
    /// `scripts/package.sh`). Looked up by hand rather than through `Bundle.module`, whose
    /// accessor stops the process when the bundle is missing.
    public func hostPath() throws(Failure) -> String {
        let override = ProcessInfo.processInfo.environment[pathVariable]
        let candidates = Self.candidates(name: name, override: override, executable: Self.executablePath())
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw .missing(candidates: candidates)
    }

    /// Where `name` is looked for, in order (see `hostPath`).
    static func candidates(name: String, override: String?, executable: String?) -> [String] {
        var candidates: [String] = []
        if let override, !override.isEmpty {
            candidates.append(override)
        }
        if let executable {
            let directory = (executable as NSString).deletingLastPathComponent
            candidates.append(directory + "/wbuild_WBuildWorkloads.resources/" + name)
            let prefix = (directory as NSString).deletingLastPathComponent
            candidates.append((prefix.isEmpty ? "/" : prefix) + "/libexec/wbuild/" + name)
        }
        return candidates
    }

    /// The binary's bytes, found and read once, on a thread of its own (not the cooperative pool).
    func contents() async throws(Failure) -> [UInt8] {
        let result = await BlockingWork.run(name: "\(name)-read") { () -> Result<[UInt8], Failure> in
            Result { () throws(Failure) -> [UInt8] in
                let path = try hostPath()
                do {
                    return try Self.cache.load(path)
                } catch {
                    throw .unreadable(path: path, cause: error)
                }
            }
        }
        return try result.get()
    }

    /// `/proc/self/exe`, resolved.
    private static func executablePath() -> String? {
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
        return resolved.map { ($0 as NSString).standardizingPath }
    }

    private static let cache = FileBytesCache()
}
