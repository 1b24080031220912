import WBuildPatterns

/// Matches compiled `GlobToken`s against a path given as UTF-8 bytes.
///
/// Backtracking over `*` and `**`, with a memo of failed (token, offset) pairs when the
/// pattern has more than one of them, so matching stays polynomial on hostile patterns.
struct GlobMatcher: Sendable {
    let tokens: [GlobToken]
    /// Number of `*` / `**` tokens; with two or more, backtracking is memoised.
    let branchingTokenCount: Int

    init(tokens: [GlobToken]) {
        self.tokens = tokens
        branchingTokenCount = tokens.reduce(0) { count, token in
            switch token {
            case .star, .globstarPrefix, .globstarTail: return count + 1
            default: return count
            }
        }
    }

    /// Whether the whole of `path` matches. With `partial`, whether some path that starts
    /// with all of `path` could match (used to ask "could anything beneath `dir/` match?").
    func matches(_ path: UnsafeBufferPointer<UInt8>, partial: Bool = false) -> Bool {
        guard branchingTokenCount >= 2 else {
            var run = Run(tokens: tokens, path: path, partial: partial, failed: nil, stride: 0)
            return run.match(0, 0)
        }
        let stride = path.count + 1
        let bitCount = (tokens.count + 1) * stride
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (bitCount + 63) / 64) { memo in
            memo.initialize(repeating: 0)
            var run = Run(tokens: tokens, path: path, partial: partial, failed: memo, stride: stride)
            return run.match(0, 0)
        }
    }

    private struct Run {
        let tokens: [GlobToken]
        let path: UnsafeBufferPointer<UInt8>
        let partial: Bool
        let failed: UnsafeMutableBufferPointer<UInt64>?
        let stride: Int

        mutating func match(_ startToken: Int, _ startOffset: Int) -> Bool {
            var tokenIndex = startToken
            var offset = startOffset
            let end = path.count
            while tokenIndex < tokens.count {
                if partial && offset == end { return true }
                switch tokens[tokenIndex] {
                case .literal(let bytes):
                    if partial && end - offset < bytes.count {
                        // The path ends inside this literal: a longer path could still match.
                        for i in 0..<(end - offset) where path[offset + i] != bytes[i] { return false }
                        return true
                    }
                    guard end - offset >= bytes.count else { return false }
                    for i in 0..<bytes.count where path[offset + i] != bytes[i] { return false }
                    offset += bytes.count
                case .anyScalar:
                    guard offset < end, path[offset] != 0x2F else { return false }
                    offset += GlobMatcher.scalarLength(path, at: offset)
                case .scalarClass(let scalarClass):
                    guard offset < end else { return false }
                    let (scalar, length) = GlobMatcher.decodeScalar(path, at: offset)
                    guard scalarClass.accepts(scalar) else { return false }
                    offset += length
                case .star:
                    if tokenIndex == tokens.count - 1 {
                        for i in offset..<end where path[i] == 0x2F { return false }
                        return true
                    }
                    var candidate = offset
                    while true {
                        if memoisedMatch(tokenIndex + 1, candidate) { return true }
                        if candidate == end || path[candidate] == 0x2F { return false }
                        candidate += GlobMatcher.scalarLength(path, at: candidate)
                    }
                case .globstarPrefix:
                    if memoisedMatch(tokenIndex + 1, offset) { return true }
                    var candidate = offset
                    while candidate < end {
                        if path[candidate] == 0x2F, memoisedMatch(tokenIndex + 1, candidate + 1) { return true }
                        candidate += 1
                    }
                    return partial
                case .globstarTail:
                    return true
                }
                tokenIndex += 1
            }
            // In partial mode the input is `dir/`; a pattern ending exactly there names no file beneath it.
            return offset == end && !partial
        }

        private mutating func memoisedMatch(_ tokenIndex: Int, _ offset: Int) -> Bool {
            guard let failed else { return match(tokenIndex, offset) }
            let bit = tokenIndex * stride + offset
            if failed[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { return false }
            if match(tokenIndex, offset) { return true }
            failed[bit >> 6] |= 1 << UInt64(bit & 63)
            return false
        }
    }

    @inline(__always)
    static func scalarLength(_ path: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        let lead = path[offset]
        let length: Int
        if lead < 0x80 { length = 1 } else if lead >= 0xF0 { length = 4 } else if lead >= 0xE0 { length = 3 } else if lead >= 0xC0 { length = 2 } else { length = 1 }
        return min(length, path.count - offset)
    }

    static func decodeScalar(_ path: UnsafeBufferPointer<UInt8>, at offset: Int) -> (UInt32, Int) {
        let length = scalarLength(path, at: offset)
        let lead = UInt32(path[offset])
        if length == 1 { return (lead, 1) }
        var value = lead & (0x7F >> UInt32(length))
        for i in 1..<length { value = (value << 6) | (UInt32(path[offset + i]) & 0x3F) }
        return (value, length)
    }
}
