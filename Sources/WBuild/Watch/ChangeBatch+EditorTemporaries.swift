import WBuildFiles
import WBuildWatcher

extension ChangeBatch {
    /// The batch without the temporary files editors make while saving (vim's `4913` and `name~`,
    /// emacs's `#name#`, `sed -i`'s `sedAB12cd`, …), and those paths apart. They trigger nothing:
    /// no live update, no rebuild. But a build context is what `docker build` would send, which
    /// includes them, so the sources that cover them note them for their next scan.
    func splittingEditorTemporaries() -> (temporaries: [String], rest: ChangeBatch) {
        let temporaries = paths.filter { path in
            DefaultIgnores.isEditorTemporary(fileName: String(path.split(separator: "/").last ?? ""))
        }
        guard !temporaries.isEmpty else { return ([], self) }
        var rest = self
        rest.paths.subtract(temporaries)
        return (temporaries.sorted(), rest)
    }
}
