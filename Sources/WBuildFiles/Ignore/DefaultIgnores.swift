/// What every source set ignores without being told: version-control and wbuild's own
/// state directories, and the temporary files editors create while saving, which would
/// otherwise trigger spurious rebuilds.
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

    /// Whether a path component (file or directory name) is always ignored.
    public static func isIgnored(name: String, isDirectory: Bool) -> Bool {
        if directoryNames.contains(name) { return true }
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
        let bytes = name.utf8
        guard !bytes.isEmpty else { return false }
        if name == "4913" { return true }
        if bytes.last == UInt8(ascii: "~"), bytes.count > 1 { return true }
        if name.hasSuffix("___jb_tmp___") || name.hasSuffix("___jb_old___") { return true }
        if bytes.count > 2, bytes.first == UInt8(ascii: "#"), bytes.last == UInt8(ascii: "#") { return true }
        if bytes.first == UInt8(ascii: ".") {
            if name.hasPrefix(".#"), bytes.count > 2 { return true }
            if name.hasSuffix(".kate-swp"), bytes.count > ".kate-swp".utf8.count + 1 { return true }
            if name.hasPrefix(".goutputstream-"), bytes.count == ".goutputstream-".utf8.count + 6 { return true }
            if isVimSwap(bytes) { return true }
        }
        return isSedTemporary(bytes)
    }

    /// `.name.swp`, `.name.swo`, … `.name.swa` and `.name.swx`: dot, a name, `.sw` and one letter.
    private static func isVimSwap(_ bytes: String.UTF8View) -> Bool {
        guard bytes.count >= 6 else { return false }
        let tail = bytes.suffix(4)
        guard tail.starts(with: ".sw".utf8), let letter = tail.last else { return false }
        return (UInt8(ascii: "a")...UInt8(ascii: "p")).contains(letter) || letter == UInt8(ascii: "x")
    }

    private static func isSedTemporary(_ bytes: String.UTF8View) -> Bool {
        guard bytes.count == 9, bytes.starts(with: "sed".utf8) else { return false }
        var sawNonLowercase = false
        for byte in bytes.dropFirst(3) {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): sawNonLowercase = true
            default: return false
            }
        }
        return sawNonLowercase
    }
}
