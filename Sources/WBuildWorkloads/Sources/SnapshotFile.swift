import WBuildFiles
import WBuildSystem

/// A source's last file list persisted under `.wbuild/cache/`, so the next process can say
/// which files changed. The encoding is `TreeSnapshot`'s own (checksummed; anything that does
/// not verify reads as "no snapshot").
struct SnapshotFile: Sendable {
    let path: String

    func load() -> TreeSnapshot? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return TreeSnapshot.decode(bytes)
    }

    func save(_ snapshot: TreeSnapshot) throws(SystemError) {
        try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: path))
        try AtomicFile.write(snapshot.encode(), to: path)
    }
}
