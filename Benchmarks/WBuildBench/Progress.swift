import Foundation

/// Progress lines on stderr while suites run (generating and committing 100k files takes a
/// while), so stdout holds only the report.
enum Progress {
    static func say(_ text: String) {
        FileHandle.standardError.write(Data(("· " + text + "\n").utf8))
    }
}
