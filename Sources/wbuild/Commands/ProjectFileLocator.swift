import Foundation

/// Finds the project file when `-f` is not given, as git and Compose do: `wbuild.json` in the
/// current directory or the nearest parent that has one, so wbuild works from any folder inside
/// a project (`Samples/hello/site`). Without one anywhere up to `/`, the plain name, so the
/// loader's error says it is missing from the current directory.
enum ProjectFileLocator {
    static let fileName = "wbuild.json"

    /// The nearest `wbuild.json` at or above `directory`, or `wbuild.json` when none exists.
    static func locate(from directory: String = FileManager.default.currentDirectoryPath,
                       exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String {
        var current = (directory as NSString).standardizingPath
        while true {
            let candidate = current == "/" ? "/" + fileName : current + "/" + fileName
            if exists(candidate) { return candidate }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return fileName }
            current = parent
        }
    }
}
