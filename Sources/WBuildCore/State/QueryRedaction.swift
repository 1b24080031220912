/// Removes request queries from text kept about a run (`/v1.41/build?t=…&buildargs=…` → `/v1.41/build`).
///
/// Errors no longer carry queries (the Docker client redacts them), but a state file written by
/// an older version may still hold one in a failure's reason; `wbuild graph` must not reprint
/// it, so reasons pass through here when loaded and when recorded.
enum QueryRedaction {
    /// `text` with every `?query` that follows a path (a word starting with `/`) cut out.
    static func scrub(_ text: String) -> String {
        guard text.contains("?") else { return text }
        var output = ""
        var wordIsPath = false
        var skipping = false
        var previous: Character = " "
        for character in text {
            if skipping {
                if Self.isQueryCharacter(character) { continue }
                skipping = false
            }
            if previous.isWhitespace || previous == "\"" || previous == "(" { wordIsPath = character == "/" }
            if character == "?" && wordIsPath {
                skipping = true
                previous = character
                continue
            }
            if character.isWhitespace { wordIsPath = false }
            output.append(character)
            previous = character
        }
        return output
    }

    /// What a percent-encoded query is made of: unreserved characters, `%`, `&`, `=` and `+`.
    private static func isQueryCharacter(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        if character.isLetter || character.isNumber { return true }
        return "-._~%&=+".contains(character)
    }
}
