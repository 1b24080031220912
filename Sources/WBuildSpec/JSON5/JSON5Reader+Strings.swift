/// Strings: `"…"` or `'…'`, with JSON5 escapes and `\`-newline continuations.
extension JSON5Reader {
    mutating func readString() throws(JSON5SyntaxError) -> String {
        let start = location
        guard let quote = peek() else {
            throw syntaxError("unexpected end of the file: expected a string")
        }
        advance()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else {
                throw syntaxError("this string is never closed: expected a closing \(quote.quotedForMessage)", at: start)
            }
            if scalar == quote {
                advance()
                return String(text)
            }
            if scalar == "\n" || scalar == "\r" {
                throw syntaxError(
                    "a string cannot span lines: close it with \(quote.quotedForMessage), or end the line with `\\` to continue it")
            }
            if scalar == "\\" {
                let escapeLocation = location
                advance()
                try readEscape(at: escapeLocation, into: &text)
                continue
            }
            text.append(scalar)
            advance()
        }
    }

    /// Reads what follows a backslash; `escapeLocation` is where the backslash is.
    private mutating func readEscape(
        at escapeLocation: SourcePosition, into text: inout String.UnicodeScalarView
    ) throws(JSON5SyntaxError) {
        guard let scalar = peek() else {
            throw syntaxError("unexpected end of the file inside an escape sequence")
        }
        switch scalar {
        case "b": advance(); text.append("\u{08}")
        case "f": advance(); text.append("\u{0C}")
        case "n": advance(); text.append("\n")
        case "r": advance(); text.append("\r")
        case "t": advance(); text.append("\t")
        case "v": advance(); text.append("\u{0B}")
        case "0":
            advance()
            if let next = peek(), next.isASCIIDigit {
                throw syntaxError("`\\0` cannot be followed by a digit (octal escapes are not allowed)")
            }
            text.append("\u{00}")
        case "1"..."9":
            throw syntaxError("octal escapes like `\\\(scalar)` are not allowed; use `\\u` with four hex digits")
        case "x":
            advance()
            let value = try readHexDigits(count: 2, escape: "\\x")
            guard let decoded = Unicode.Scalar(value) else {
                throw syntaxError("`\\x` escape is not a character", at: escapeLocation)
            }
            text.append(decoded)
        case "u":
            advance()
            text.append(try readUnicodeEscape(at: escapeLocation))
        case "\n", "\u{2028}", "\u{2029}":
            advance()  // line continuation: the escaped line break is dropped
        case "\r":
            advance()
            if peek() == "\n" { advance() }
        default:
            advance()
            text.append(scalar)  // a non-escape character stands for itself: \' \" \\ \/ \a …
        }
    }

    private mutating func readUnicodeEscape(at escapeLocation: SourcePosition) throws(JSON5SyntaxError) -> Unicode.Scalar {
        let first = try readHexDigits(count: 4, escape: "\\u")
        if (0xD800...0xDBFF).contains(first) {
            guard peek() == "\\", peek(1) == "u" else {
                throw syntaxError("`\\u` escape is half of a surrogate pair with no second half", at: escapeLocation)
            }
            advance()
            advance()
            let second = try readHexDigits(count: 4, escape: "\\u")
            guard (0xDC00...0xDFFF).contains(second),
                  let combined = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) else {
                throw syntaxError("`\\u` escapes do not form a valid surrogate pair", at: escapeLocation)
            }
            return combined
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw syntaxError("`\\u` escape is a lone surrogate, which is not a character", at: escapeLocation)
        }
        return scalar
    }

    private mutating func readHexDigits(count: Int, escape: String) throws(JSON5SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let digit = peek()?.hexDigitValue else {
                throw syntaxError("`\(escape)` needs \(count) hex digits, found \(describeNext)")
            }
            value = value * 16 + UInt32(digit)
            advance()
        }
        return value
    }
}
