/// The naming rules of the project file.
enum Names {
    /// Project, workload, task and sidecar names: `[a-z0-9][a-z0-9-]*`, at most 63 characters,
    /// so they work as DNS labels, container names and Kubernetes object names.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63,
              isLowerAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
    }

    static let nameRule = "names use lowercase letters, digits and `-`, start with a letter or digit, and have at most 63 characters"

    /// A hint offering a valid spelling of `name`, when a simple one exists.
    static func nameHint(for name: String) -> String {
        var fixed = String.UnicodeScalarView()
        for scalar in name.lowercased().unicodeScalars {
            if isLowerAlphanumeric(scalar) || scalar == "-" {
                fixed.append(scalar)
            } else if scalar == "_" || scalar == " " || scalar == "." {
                fixed.append("-")
            }
        }
        let candidate = String(fixed)
        if isValidName(candidate) { return "\(nameRule); try `\(candidate)`" }
        return nameRule
    }

    /// Port names: like names, at most 15 characters (the Kubernetes limit).
    static func isValidPortName(_ name: String) -> Bool {
        isValidName(name) && name.unicodeScalars.count <= 15
    }

    /// Docker named volumes: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
    static func isValidVolumeName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isAlphanumeric(first), name.unicodeScalars.count <= 255 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// A dotted IPv4 address, or something shaped like an IPv6 address.
    static func isPlausibleIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && (Int(part) ?? 256) <= 255
        }) {
            return true
        }
        return text.contains(":") && text.unicodeScalars.allSatisfy {
            $0.hexDigitValue != nil || $0 == ":" || $0 == "."
        }
    }

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        isLowerAlphanumeric(scalar) || ("A"..."Z").contains(scalar)
    }
}
