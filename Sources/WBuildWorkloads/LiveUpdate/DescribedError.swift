/// An error already described, kept as its description (to re-wrap with more context).
struct DescribedError: Error, CustomStringConvertible {
    let description: String
}
