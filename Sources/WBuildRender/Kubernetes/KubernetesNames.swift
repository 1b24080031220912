import WBuildSpec

/// Names as Kubernetes accepts them, and the short content hash some object names carry.
enum KubernetesNames {
    /// A DNS-1035 label (Service names): lowercase letters, digits and `-`, starting with a
    /// letter, ending with a letter or digit, at most 63 characters.
    static func isDNSLabel(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, scalars.count <= 63,
              ("a"..."z").contains(first), last != "-" else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A port name (IANA service name): at most 15 characters, with a letter, no `--`.
    static func isPortName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, scalars.count <= 15, first != "-", last != "-",
              !name.contains("--"), scalars.contains(where: { ("a"..."z").contains($0) }) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The port's own name, else `<protocol>-<port>` (`tcp-7000`).
    static func portName(_ port: PortSpec) -> String {
        port.name ?? "\(port.protocol.rawValue)-\(port.container)"
    }

    /// A Docker volume name as a Kubernetes name (a DNS-1123 label, which may start with a
    /// digit): lowercase, `_` and `.` as `-`; nil when that is still not one.
    static func volumeName(_ name: String) -> String? {
        let converted = String(name.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
        guard let first = converted.unicodeScalars.first else { return nil }
        let probe = ("0"..."9").contains(first) ? "v" + converted : converted
        return isDNSLabel(probe) && probe.unicodeScalars.count <= 63 ? converted : nil
    }

    /// A host as part of an object name: `api.localhost` → `api-localhost`, `*.example.com` →
    /// `wildcard-example-com`.
    static func hostSlug(_ host: String) -> String {
        host.reduce(into: "") { slug, character in
            switch character {
            case "*": slug += "wildcard"
            case ".": slug += "-"
            default: slug.append(character)
            }
        }
    }

    /// Ten (or `digits`, at most 16) hex digits of FNV-1a over `text`: names that change when content does (a ConfigMap's
    /// name, so that a change of env rolls the Deployment that refers to it).
    static func contentHash(_ text: String, digits: Int = 10) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(digits))
    }
}
