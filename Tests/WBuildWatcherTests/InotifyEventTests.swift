import Testing
@testable import WBuildWatcher

/// Decoding `inotify_event` records from raw bytes as `read(2)` returns them.
@Suite struct InotifyEventTests {
    /// One record: wd, mask, cookie, len (little-endian), then the NUL-padded name.
    func record(watch: Int32, mask: UInt32, cookie: UInt32, name: String, padTo length: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: watch.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: cookie.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(length).littleEndian) { bytes += $0 }
        let name = Array(name.utf8)
        return bytes + name + [UInt8](repeating: 0, count: length - name.count)
    }

    @Test func decodesNamesAfterTheHeaderAndStripsPadding() {
        let bytes = record(watch: 3, mask: InotifyMask([.movedFrom, .isDirectory]).rawValue, cookie: 42, name: "src", padTo: 16)
            + record(watch: 3, mask: InotifyMask.deleteSelf.rawValue, cookie: 0, name: "", padTo: 0)
            + record(watch: 7, mask: InotifyMask.closeWrite.rawValue, cookie: 0, name: "main.swift", padTo: 32)
        let events = bytes.withUnsafeBytes { InotifyEvent.decode($0) }
        #expect(events == [
            InotifyEvent(watch: 3, mask: [.movedFrom, .isDirectory], cookie: 42, name: "src"),
            InotifyEvent(watch: 3, mask: .deleteSelf, cookie: 0, name: ""),
            InotifyEvent(watch: 7, mask: .closeWrite, cookie: 0, name: "main.swift"),
        ])
    }

    @Test func dropsATruncatedTrailingRecord() {
        let whole = record(watch: 1, mask: InotifyMask.create.rawValue, cookie: 0, name: "a", padTo: 16)
        let bytes = whole + Array(whole.prefix(20))
        let events = bytes.withUnsafeBytes { InotifyEvent.decode($0) }
        #expect(events.map(\.name) == ["a"])
    }
}
