#if canImport(Glibc)
import Glibc
#endif

/// One decoded `struct inotify_event` record.
struct InotifyEvent: Sendable, Equatable {
    /// The watch descriptor, or -1 for `IN_Q_OVERFLOW`.
    var watch: Int32
    var mask: InotifyMask
    /// Pairs `IN_MOVED_FROM` with `IN_MOVED_TO`; 0 otherwise.
    var cookie: UInt32
    /// The entry's name inside the watched directory; empty for events on the directory itself.
    var name: String

    /// The size of the fixed part of a record; the NUL-padded name follows it.
    static let headerSize = MemoryLayout<inotify_event>.size

    /// Decodes the records in `bytes` as returned by `read(2)` on an inotify descriptor.
    /// A truncated trailing record (which the kernel never produces) is dropped.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + headerSize <= bytes.count {
            let header = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
            let nameLength = Int(header.len)
            let nameStart = offset + headerSize
            guard nameStart + nameLength <= bytes.count else { break }
            var name = ""
            if nameLength > 0 {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)])
                let end = raw.firstIndex(of: 0) ?? raw.count
                name = String(decoding: raw[..<end], as: UTF8.self)
            }
            events.append(InotifyEvent(watch: header.wd, mask: InotifyMask(rawValue: header.mask),
                                       cookie: header.cookie, name: name))
            offset = nameStart + nameLength
        }
        return events
    }

    /// The synthetic record `IN_Q_OVERFLOW` that the kernel queues when events were dropped.
    static let overflow = InotifyEvent(watch: -1, mask: .queueOverflow, cookie: 0, name: "")
}
