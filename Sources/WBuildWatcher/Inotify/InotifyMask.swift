/// The bits of an inotify watch mask and of `inotify_event.mask` (see inotify(7)).
struct InotifyMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    static let access = InotifyMask(rawValue: 0x0000_0001)
    static let modify = InotifyMask(rawValue: 0x0000_0002)
    static let attrib = InotifyMask(rawValue: 0x0000_0004)
    static let closeWrite = InotifyMask(rawValue: 0x0000_0008)
    static let closeNoWrite = InotifyMask(rawValue: 0x0000_0010)
    static let open = InotifyMask(rawValue: 0x0000_0020)
    static let movedFrom = InotifyMask(rawValue: 0x0000_0040)
    static let movedTo = InotifyMask(rawValue: 0x0000_0080)
    static let create = InotifyMask(rawValue: 0x0000_0100)
    static let delete = InotifyMask(rawValue: 0x0000_0200)
    static let deleteSelf = InotifyMask(rawValue: 0x0000_0400)
    static let moveSelf = InotifyMask(rawValue: 0x0000_0800)

    // Flags the kernel sets on events.
    static let unmount = InotifyMask(rawValue: 0x0000_2000)
    static let queueOverflow = InotifyMask(rawValue: 0x0000_4000)
    static let ignored = InotifyMask(rawValue: 0x0000_8000)
    static let isDirectory = InotifyMask(rawValue: 0x4000_0000)

    // Flags for `inotify_add_watch`.
    static let onlyDirectory = InotifyMask(rawValue: 0x0100_0000)
    static let dontFollow = InotifyMask(rawValue: 0x0200_0000)
    static let excludeUnlinked = InotifyMask(rawValue: 0x0400_0000)

    /// What wbuild watches on every directory of the tree.
    static let directoryWatch: InotifyMask = [
        .create, .closeWrite, .modify, .delete, .deleteSelf, .movedFrom, .movedTo, .moveSelf, .attrib,
        .onlyDirectory, .dontFollow, .excludeUnlinked,
    ]
}
