/// "Did you mean …?": the closest candidate to a misspelt word.
enum Suggestion {
    /// The candidate closest to `word` by edit distance, if close enough to be a likely typo;
    /// differences of case, `_` and `-` alone always count as close.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let normalizedWord = normalize(word)
        if let sameModuloCase = candidates.first(where: { normalize($0) == normalizedWord }) {
            return sameModuloCase
        }
        let wordScalars = Array(word.lowercased().unicodeScalars)
        let allowed = max(1, min(3, wordScalars.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let candidateScalars = Array(candidate.lowercased().unicodeScalars)
            guard abs(candidateScalars.count - wordScalars.count) <= allowed else { continue }
            let distance = editDistance(wordScalars, candidateScalars)
            if distance <= allowed, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// A hint naming the closest candidate, or listing them all when none is close.
    static func hint(for word: String, among candidates: [String], noun: String) -> String? {
        if let match = closest(to: word, among: candidates) {
            return "did you mean `\(match)`?"
        }
        guard !candidates.isEmpty else { return nil }
        let shown = candidates.prefix(12).map { "`\($0)`" }.joined(separator: ", ")
        return "\(noun): \(shown)\(candidates.count > 12 ? ", …" : "")"
    }

    private static func normalize(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
    }

    /// Levenshtein distance (insert, delete, substitute), one row at a time.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
