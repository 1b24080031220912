/// The JSON5 recursive-descent reader: a cursor over the document's scalars.
/// Structure (documents, objects, arrays, keys) lives here; strings and numbers in extensions.
struct JSON5Reader {
    let scalars: [Unicode.Scalar]
    let fileName: String
    let maximumDepth: Int
    private(set) var index = 0
    private var counter = LineCounter()

    init(scalars: [Unicode.Scalar], fileName: String, maximumDepth: Int) {
        self.scalars = scalars
        self.fileName = fileName
        self.maximumDepth = maximumDepth
    }

    // MARK: Cursor

    var location: SourcePosition { counter.location }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let position = index + offset
        return position < scalars.count ? scalars[position] : nil
    }

    mutating func advance() {
        guard index < scalars.count else { return }
        counter.consume(scalars[index])
        index += 1
    }

    func syntaxError(_ message: String, at location: SourcePosition? = nil) -> JSON5SyntaxError {
        JSON5SyntaxError(file: fileName, location: location ?? self.location, message: message)
    }

    /// The next character as a message shows it, or "the end of the file".
    var describeNext: String { peek()?.quotedForMessage ?? "the end of the file" }

    // MARK: Document

    mutating func readDocument() throws(JSON5SyntaxError) -> JSONValue {
        try skipTrivia()
        if peek() == nil {
            throw syntaxError("the document is empty: expected a value, such as an object `{ … }`")
        }
        let value = try readValue(depth: 0)
        try skipTrivia()
        if peek() != nil {
            throw syntaxError("expected the end of the file after the top-level value, found \(describeNext)")
        }
        return value
    }

    // MARK: Whitespace and comments

    mutating func skipTrivia() throws(JSON5SyntaxError) {
        while let scalar = peek() {
            if scalar.isJSON5Whitespace || scalar.isJSON5LineTerminator {
                advance()
            } else if scalar == "/" && peek(1) == "/" {
                while let next = peek(), !next.isJSON5LineTerminator { advance() }
            } else if scalar == "/" && peek(1) == "*" {
                let start = location
                advance()
                advance()
                while true {
                    guard let next = peek() else {
                        throw syntaxError("this comment is never closed: expected `*/`", at: start)
                    }
                    if next == "*" && peek(1) == "/" {
                        advance()
                        advance()
                        break
                    }
                    advance()
                }
            } else if scalar == "/" {
                throw syntaxError("expected `//` or `/*` to start a comment, found a lone `/`")
            } else {
                return
            }
        }
    }

    // MARK: Values

    mutating func readValue(depth: Int) throws(JSON5SyntaxError) -> JSONValue {
        try skipTrivia()
        let start = location
        guard let scalar = peek() else {
            throw syntaxError("unexpected end of the file: expected a value")
        }
        switch scalar {
        case "{":
            return try readObject(depth: depth + 1)
        case "[":
            return try readArray(depth: depth + 1)
        case "\"", "'":
            return JSONValue(.string(try readString()), at: start)
        case "-", "+", ".", "0"..."9":
            return try readNumber()
        default:
            guard scalar.isJSON5IdentifierStart else {
                throw syntaxError("expected a value, found \(scalar.quotedForMessage)")
            }
            let word = readIdentifierCharacters()
            switch word {
            case "true": return JSONValue(.bool(true), at: start)
            case "false": return JSONValue(.bool(false), at: start)
            case "null": return JSONValue(.null, at: start)
            case "Infinity", "NaN":
                throw syntaxError("`\(word)` is not allowed: numbers must be finite", at: start)
            default:
                throw syntaxError(
                    "expected a value, found the bare word `\(prefixForMessage(word))`; strings need quotes: \"\(prefixForMessage(word))\"",
                    at: start)
            }
        }
    }

    private mutating func readObject(depth: Int) throws(JSON5SyntaxError) -> JSONValue {
        let start = location
        try checkDepth(depth)
        advance()  // {
        var members: [JSONMember] = []
        var firstSeen: [String: SourcePosition] = [:]
        while true {
            try skipTrivia()
            guard let scalar = peek() else {
                throw syntaxError("unexpected end of the file: expected a key or `}` to close the object opened at \(start)")
            }
            if scalar == "}" {
                advance()
                return JSONValue(.object(members), at: start)
            }
            let keyLocation = location
            let key = try readKey()
            if let earlier = firstSeen[key] {
                throw syntaxError(
                    "duplicate key \"\(prefixForMessage(key))\": this object already set it at \(earlier)", at: keyLocation)
            }
            firstSeen[key] = keyLocation
            try skipTrivia()
            guard peek() == ":" else {
                throw syntaxError("expected `:` after the key \"\(prefixForMessage(key))\", found \(describeNext)")
            }
            advance()
            let value = try readValue(depth: depth)
            members.append(JSONMember(key: key, keyLocation: keyLocation, value: value))
            try skipTrivia()
            switch peek() {
            case ",":
                advance()
            case "}":
                advance()
                return JSONValue(.object(members), at: start)
            case nil:
                throw syntaxError("unexpected end of the file: expected `,` or `}` to close the object opened at \(start)")
            default:
                throw syntaxError(
                    "expected `,` or `}` after the value of \"\(prefixForMessage(key))\", found \(describeNext)")
            }
        }
    }

    private mutating func readArray(depth: Int) throws(JSON5SyntaxError) -> JSONValue {
        let start = location
        try checkDepth(depth)
        advance()  // [
        var elements: [JSONValue] = []
        while true {
            try skipTrivia()
            guard let scalar = peek() else {
                throw syntaxError("unexpected end of the file: expected a value or `]` to close the array opened at \(start)")
            }
            if scalar == "]" {
                advance()
                return JSONValue(.array(elements), at: start)
            }
            if scalar == "," {
                throw syntaxError("expected a value or `]`, found `,`")
            }
            elements.append(try readValue(depth: depth))
            try skipTrivia()
            switch peek() {
            case ",":
                advance()
            case "]":
                advance()
                return JSONValue(.array(elements), at: start)
            case nil:
                throw syntaxError("unexpected end of the file: expected `,` or `]` to close the array opened at \(start)")
            default:
                throw syntaxError("expected `,` or `]` after an array element, found \(describeNext)")
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSON5SyntaxError) {
        if depth > maximumDepth {
            throw syntaxError("arrays and objects nest deeper than \(maximumDepth) levels here")
        }
    }

    // MARK: Keys

    private mutating func readKey() throws(JSON5SyntaxError) -> String {
        guard let scalar = peek() else {
            throw syntaxError("unexpected end of the file: expected a key")
        }
        if scalar == "\"" || scalar == "'" {
            return try readString()
        }
        if scalar.isJSON5IdentifierStart {
            let key = readIdentifierCharacters()
            if peek() == "\\" {
                throw syntaxError("escapes are not supported in unquoted keys: quote the key instead")
            }
            return key
        }
        if scalar == "\\" {
            throw syntaxError("escapes are not supported in unquoted keys: quote the key instead")
        }
        throw syntaxError("expected a key (a name or a quoted string) or `}`, found \(scalar.quotedForMessage)")
    }

    /// Reads an identifier; the caller has checked the first character starts one.
    mutating func readIdentifierCharacters() -> String {
        var text = String.UnicodeScalarView()
        if let first = peek() {
            text.append(first)
            advance()
        }
        while let next = peek(), next.isJSON5IdentifierPart {
            text.append(next)
            advance()
        }
        return String(text)
    }

    /// At most 40 characters of `text`, so a hostile key cannot flood a message.
    func prefixForMessage(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
    }
}
