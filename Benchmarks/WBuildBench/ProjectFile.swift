import Foundation

/// The `wbuild.json` (and `.gitignore`) each benchmark project gets.
enum ProjectFile {
    /// One task over every file of the tree, so `once` must fingerprint all of `src/`.
    static func writeTree(at root: String) throws(BenchError) {
        try write("""
        {
          name: "bench",
          tasks: { hash: { cmd: "true", inputs: ["src/**"] } },
        }

        """, to: root + "/wbuild.json")
        try write(".wbuild/\n", to: root + "/.gitignore")
    }

    /// A task that appends the time it started (`date +%s%N`) to `stampFile`, outside the
    /// project, each time a file under `src/` changes.
    static func writeWatch(at root: String, stampFile: String, settleMs: Int) throws(BenchError) {
        try write("""
        {
          name: "bench-watch",
          tasks: { stamp: { cmd: "date +%s%N >> \(stampFile)", inputs: ["src/**"] } },
          watch: { settleMs: \(settleMs) },
        }

        """, to: root + "/wbuild.json")
    }

    private static func write(_ text: String, to path: String) throws(BenchError) {
        try TreeGenerator.write(Array(text.utf8), to: path)
    }
}
