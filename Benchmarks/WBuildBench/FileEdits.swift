/// The edits the watch suite times: each overwrites a different file of the tree with new
/// content (so its hash changes) through open/truncate/write/close, as an editor saves.
struct FileEdits: Sendable {
    var root: String
    var shape: TreeShape

    /// The file edit `index` writes, relative to the root. Spread over the tree by a stride
    /// coprime with the file count, so consecutive edits land in different directories.
    func relativePath(ofEdit index: Int) -> String {
        shape.relativePath(ofFile: (index &* 7919) % shape.files)
    }

    /// Writes edit `index`; returns `CLOCK_REALTIME` nanoseconds taken just before the open.
    func write(_ index: Int) throws(BenchError) -> Int64 {
        let text = "edit \(index) at \(WallClock.realtimeNanoseconds())\n"
        let path = root + "/" + relativePath(ofEdit: index)
        let before = WallClock.realtimeNanoseconds()
        try TreeGenerator.write(Array(text.utf8), to: path)
        return before
    }
}
