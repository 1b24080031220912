#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the project file with plain `open`/`read` (this module uses no Foundation),
/// turning failures into diagnostics that say where it looked and what to do.
enum ProjectFileReader {
    /// Larger files are refused: no real project file comes near this.
    static let maximumSize = 16 * 1024 * 1024

    static func contents(ofFile path: String) throws(SpecError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw failure(path: path, errno: code)
        }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw failure(path: path, errno: code)
            }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > maximumSize {
                throw SpecError(SpecDiagnostic(
                    file: path, keyPath: "", line: 0, column: 0,
                    message: "the project file is larger than \(maximumSize / 1024 / 1024) MiB",
                    hint: "is this the right file? pass the project file with -f"))
            }
        }
    }

    private static func failure(path: String, errno code: Int32) -> SpecError {
        let place = absolute(path)
        switch code {
        case ENOENT, ENOTDIR:
            return SpecError(SpecDiagnostic(
                file: path, keyPath: "", line: 0, column: 0,
                message: "no project file: looked for \(place)",
                hint: "create \(ProjectLoader.defaultFileName) in the project directory (the command line looks in the "
                    + "current folder and every folder above it), or pass its path with -f"))
        case EISDIR:
            return SpecError(SpecDiagnostic(
                file: path, keyPath: "", line: 0, column: 0,
                message: "\(place) is a directory, not a project file",
                hint: "pass the file itself, e.g. -f \(path.hasSuffix("/") ? path : path + "/")\(ProjectLoader.defaultFileName)"))
        case EACCES:
            return SpecError(SpecDiagnostic(
                file: path, keyPath: "", line: 0, column: 0,
                message: "cannot read \(place): permission denied",
                hint: "check the file's permissions"))
        default:
            return SpecError(SpecDiagnostic(
                file: path, keyPath: "", line: 0, column: 0,
                message: "cannot read \(place): \(String(cString: strerror(code)))"))
        }
    }

    /// `path` made absolute against the working directory, for messages.
    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
