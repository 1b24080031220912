/// The editor temp-file rules the lead passes in from WBuildFiles' ignore rules, written
/// out by hand for these tests: `*~`, `.*.swp`, `*___jb_tmp___`, `*___jb_old___`,
/// `sed??????`, `4913`. `extraDirectories`/`extraSuffixes` add per-test rules.
func editorTempIgnore(directories: Set<String> = [], suffixes: [String] = [])
    -> @Sendable (String, Bool) -> Bool
{
    return { path, isDirectory in
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if isDirectory { return directories.contains(name) }
        if name.hasSuffix("~") || name.hasSuffix("___jb_tmp___") || name.hasSuffix("___jb_old___") { return true }
        if name.hasPrefix(".") && name.hasSuffix(".swp") { return true }
        if name == "4913" { return true }
        if name.hasPrefix("sed") && name.count == 9 { return true }
        return suffixes.contains { name.hasSuffix($0) }
    }
}
