/// Where encoders put bytes: an array (`ByteWriter`) or a file as it is written (`FileByteSink`).
protocol ByteSink {
    mutating func append(contentsOf collection: some Collection<UInt8>)
}

extension ByteSink {
    /// A little-endian integer.
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// An unsigned LEB128 varint.
    mutating func appendVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            append(contentsOf: CollectionOfOne(UInt8(truncatingIfNeeded: remaining) | 0x80))
            remaining >>= 7
        }
        append(contentsOf: CollectionOfOne(UInt8(remaining)))
    }

    /// How many bytes `appendVarint(value)` writes.
    static func varintSize(_ value: UInt64) -> Int {
        var size = 1, remaining = value
        while remaining >= 0x80 {
            size += 1
            remaining >>= 7
        }
        return size
    }
}

/// Appends little-endian integers and LEB128 varints to a byte array.
struct ByteWriter: ByteSink {
    var bytes: [UInt8] = []

    mutating func append(contentsOf collection: some Collection<UInt8>) {
        bytes.append(contentsOf: collection)
    }
}

/// Reads what `ByteWriter` wrote; every read returns `nil` past the end instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { return nil }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func readVarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }
}

extension ByteReader {
    /// Opens a file written as `magic | version | count | entries | checksum64`: verifies the
    /// trailing checksum, the magic and the version, and rejects a count that `minimumEntryBytes`
    /// per entry could not fit. Returns the reader positioned at the first entry, and the count.
    static func openChecksummed(_ raw: UnsafeRawBufferPointer, magic: [UInt8], version: UInt32,
                                minimumEntryBytes: Int) -> (ByteReader, Int)? {
        guard raw.count >= magic.count + 4 + 4 + 8 else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 8)])
        let stored = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self))
        guard Checksum64.of(body) == stored else { return nil }
        var reader = ByteReader(body)
        guard let read = reader.readBytes(magic.count), read.elementsEqual(magic),
              reader.read(UInt32.self) == version,
              let count = reader.read(UInt32.self),
              Int(count) <= reader.remaining / minimumEntryBytes else { return nil }
        return (reader, Int(count))
    }

    /// Reads one prefix-compressed path (`shared` bytes of `previous`, then a suffix) into
    /// `previous`; false on any inconsistency.
    mutating func readPath(into previous: inout [UInt8]) -> Bool {
        guard let shared = readVarint(), let suffixLength = readVarint(),
              shared <= UInt64(previous.count), suffixLength <= UInt64(remaining),
              let suffix = readBytes(Int(suffixLength)) else { return false }
        previous.removeSubrange(Int(shared)...)
        previous.append(contentsOf: suffix)
        return true
    }
}
