/// The images a Dockerfile builds on (`FROM name[:tag] [AS stage]`), minus `scratch`, earlier
/// stages, and references with build-arg substitutions we cannot resolve. Their ids go into
/// the image fingerprint, so a rebuilt base image (same tag, new content) rebuilds ours.
enum BaseImages {
    static func references(in dockerfile: [UInt8]) -> [String] {
        var stages = Set<String>()
        var references: [String] = []
        for rawLine in String(decoding: dockerfile, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let words = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 2, words[0].uppercased() == "FROM" else { continue }
            // Skip flags such as --platform=linux/amd64.
            guard let image = words.dropFirst().first(where: { !$0.hasPrefix("--") }) else { continue }
            let isExternal = image.lowercased() != "scratch" && !stages.contains(image.lowercased()) && !image.contains("$")
            if isExternal && !references.contains(image) { references.append(image) }
            if let asIndex = words.firstIndex(where: { $0.uppercased() == "AS" }), asIndex + 1 < words.count {
                stages.insert(words[asIndex + 1].lowercased())
            }
        }
        return references
    }
}
