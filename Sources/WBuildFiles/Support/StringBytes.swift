import WBuildPatterns

/// Runs `body` over the UTF-8 bytes of `string` without copying when it is native.
@inline(__always)
func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
    let bytes = Array(string.utf8)
    return bytes.withUnsafeBufferPointer(body)
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF (Go's `TrimSpace` for ASCII).
    var trimmingWhitespace: String { PathCleaning.trimmingWhitespace(self) }
}
