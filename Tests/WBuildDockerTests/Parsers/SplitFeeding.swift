/// Ways to cut one byte string into pieces, to check that a parser gives the same result however
/// the bytes arrive: whole, byte by byte, and split in two at every position.
enum SplitFeeding {
    static func allPartitions(of bytes: [UInt8]) -> [[[UInt8]]] {
        var partitions: [[[UInt8]]] = [[bytes], bytes.map { [$0] }]
        for split in 0...bytes.count {
            partitions.append([Array(bytes[..<split]), Array(bytes[split...])])
        }
        return partitions
    }
}
