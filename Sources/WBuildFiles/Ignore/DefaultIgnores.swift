/// What the watcher and task source sets ignore without being told: version-control and
/// wbuild's own state directories, and the temporary files editors create while saving, which
/// would otherwise trigger spurious rebuilds. Build contexts do not use these (only their
/// `.dockerignore` decides, as for `docker build`), except for `.wbuild` (`isStateDirectory`).
///
/// Only names editors really create are listed (no generic `*.tmp`):
/// - vim: swap files `.name.swp` … `.name.swa`, `.name.swx`; backups `name~`; the
///   write-test file `4913`;
/// - emacs: lock links `.#name`, auto-save files `#name#`, backups `name~`;
/// - JetBrains safe-write: `name___jb_tmp___`, `name___jb_old___`;
/// - kate: `.name.kate-swp`;
/// - GNOME/GIO atomic save: `.goutputstream-XXXXXX`;
/// - `sed -i`: `sedXXXXXX` (six random letters or digits, at least one of them not a lowercase
///   letter, so real names such as `sedentary` are kept).
public enum DefaultIgnores {
    /// Directory names ignored wherever they appear.
    public static let directoryNames: Set<String> = [".git", ".wbuild"]

    /// Whether `relativePath` is inside (or is) a `.wbuild` directory: wbuild's own state, which
    /// even a build context leaves out.
    public static func isStateDirectory(inPath relativePath: String, isDirectory: Bool) -> Bool {
        let components = relativePath.split(separator: "/")
        for (index, component) in components.enumerated() where component == ".wbuild" {
            if index < components.count - 1 || isDirectory { return true }
        }
        return false
    }

    /// Whether `relativePath` is in (or is) a `.git` or `.wbuild` directory: what the watcher never
    /// watches. Editor temporaries are watched: build contexts include them (see
    /// `ChangeBatch.splittingEditorTemporaries` in WBuild).
    public static func isInUnwatchedDirectory(relativePath: String, isDirectory: Bool) -> Bool {
        let components = relativePath.split(separator: "/")
        for (index, component) in components.enumerated() where component == ".git" || component == ".wbuild" {
            if index < components.count - 1 || isDirectory { return true }
        }
        return false
    }

    /// Whether a path component (file or directory name) is always ignored.
    public static func isIgnored(name: String, isDirectory: Bool) -> Bool {
        // Compared directly: cheaper than hashing into `directoryNames` for every file.
        if name == ".git" || name == ".wbuild" { return true }
        return !isDirectory && isEditorTemporary(fileName: name)
    }

    /// Whether any component of `relativePath` is ignored by default.
    public static func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        let components = relativePath.split(separator: "/")
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            if isIgnored(name: String(component), isDirectory: isLast ? isDirectory : true) { return true }
        }
        return false
    }

    /// Whether `fileName` (a single name, no `/`) is a temporary file an editor or `sed -i` creates.
    public static func isEditorTemporary(fileName name: String) -> Bool {
        withBytes(name) { isEditorTemporary(bytes: $0) }
    }

    static func isEditorTemporary(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count > 0 else { return false }
        let first = bytes[0], last = bytes[count - 1]
        if last == UInt8(ascii: "~") { return count > 1 }
        if first == UInt8(ascii: "#") { return count > 2 && last == UInt8(ascii: "#") }
        if last == UInt8(ascii: "_") {
            return hasSuffix(bytes, "___jb_tmp___") || hasSuffix(bytes, "___jb_old___")
        }
        if first == UInt8(ascii: ".") {
            if count > 2, bytes[1] == UInt8(ascii: "#") { return true }
            if count > 10, hasSuffix(bytes, ".kate-swp") { return true }
            if count == 21, hasPrefix(bytes, ".goutputstream-") { return true }
            return isVimSwap(bytes)
        }
        if count == 4 { return hasPrefix(bytes, "4913") }
        return count == 9 && isSedTemporary(bytes)
    }

    /// `.name.swp`, `.name.swo`, … `.name.swa` and `.name.swx`: dot, a name, `.sw` and one letter.
    private static func isVimSwap(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count >= 6, bytes[count - 4] == UInt8(ascii: "."), bytes[count - 3] == UInt8(ascii: "s"),
              bytes[count - 2] == UInt8(ascii: "w") else { return false }
        let letter = bytes[count - 1]
        return (UInt8(ascii: "a")...UInt8(ascii: "p")).contains(letter) || letter == UInt8(ascii: "x")
    }

    /// `sed` and six letters or digits, at least one of them not a lowercase letter.
    private static func isSedTemporary(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hasPrefix(bytes, "sed") else { return false }
        var sawNonLowercase = false
        for byte in bytes[3...] {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): sawNonLowercase = true
            default: return false
            }
        }
        return sawNonLowercase
    }

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        let start = prefix.utf8Start
        for index in 0..<length where bytes[index] != start[index] { return false }
        return true
    }

    private static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let length = suffix.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        let start = suffix.utf8Start, offset = bytes.count - length
        for index in 0..<length where bytes[offset + index] != start[index] { return false }
        return true
    }
}
