/// "Did you mean …?": the closest candidate to a misspelt word.
public enum Suggestion {
    /// Above this many candidates no suggestion is searched for.
    static let maximumCandidates = 1000

    /// The candidate closest to `word` by edit distance, if close enough to be a likely typo;
    /// differences of case, `_` and `-` alone always count as close.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        // Scanning is linear in the candidates; a hostile file with thousands of names gets no suggestion.
        guard candidates.count <= maximumCandidates else { return nil }
        let normalizedWord = normalize(word)
        if let sameModuloCase = candidates.first(where: { normalize($0) == normalizedWord }) {
            return sameModuloCase
        }
        let wordScalars = Array(word.lowercased().unicodeScalars)
        let allowed = wordScalars.count <= 3 ? 1 : min(3, max(2, wordScalars.count / 3))
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

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// adjacent characters each cost 1 (`prots` is one step from `ports`).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
