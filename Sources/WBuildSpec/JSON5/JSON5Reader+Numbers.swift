/// Numbers: JSON numbers plus `+`, hex `0x…`, `.5`, `5.`; `Infinity`/`NaN` are rejected.
extension JSON5Reader {
    mutating func readNumber() throws(JSON5SyntaxError) -> JSONValue {
        let start = location
        let startIndex = index
        var negative = false
        if let sign = peek(), sign == "+" || sign == "-" {
            negative = sign == "-"
            advance()
        }
        if let next = peek(), next.isJSON5IdentifierStart {
            let word = readIdentifierCharacters()
            if word == "Infinity" || word == "NaN" {
                throw syntaxError("`\(word)` is not allowed: numbers must be finite", at: start)
            }
            throw syntaxError("expected digits after the sign, found `\(prefixForMessage(word))`", at: start)
        }

        let value: Double
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance()
            advance()
            value = try readHexMagnitude()
        } else {
            value = try readDecimalMagnitude()
        }
        if let next = peek(), next.isJSON5IdentifierPart || next == "." {
            throw syntaxError("unexpected \(next.quotedForMessage) right after a number")
        }
        let literal = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        return JSONValue(.number(JSONNumber(value: negative ? -value : value, literal: literal)), at: start)
    }

    private mutating func readHexMagnitude() throws(JSON5SyntaxError) -> Double {
        var value: Double = 0
        var digits = 0
        while let digit = peek()?.hexDigitValue {
            value = value * 16 + Double(digit)
            digits += 1
            advance()
        }
        guard digits > 0 else {
            throw syntaxError("expected hex digits after `0x`, found \(describeNext)")
        }
        guard value.isFinite else {
            throw syntaxError("this number is too large")
        }
        return value
    }

    private mutating func readDecimalMagnitude() throws(JSON5SyntaxError) -> Double {
        let start = location
        let integerDigits = readDigits()
        var fractionDigits = ""
        if peek() == "." {
            advance()
            fractionDigits = readDigits()
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else {
            throw syntaxError("expected a number, found \(describeNext)", at: start)
        }
        if integerDigits.count > 1 && integerDigits.hasPrefix("0") {
            throw syntaxError("numbers cannot start with 0 (write `\(integerDigits.drop { $0 == "0" })`, or `0x…` for hex)", at: start)
        }
        var exponent = ""
        if let e = peek(), e == "e" || e == "E" {
            advance()
            if let sign = peek(), sign == "+" || sign == "-" {
                exponent.unicodeScalars.append(sign)
                advance()
            }
            let exponentDigits = readDigits()
            guard !exponentDigits.isEmpty else {
                throw syntaxError("expected digits in the exponent, found \(describeNext)")
            }
            exponent += exponentDigits
        }
        var canonical = (integerDigits.isEmpty ? "0" : integerDigits) + "." + (fractionDigits.isEmpty ? "0" : fractionDigits)
        if !exponent.isEmpty { canonical += "e" + exponent }
        guard let value = Double(canonical), value.isFinite else {
            throw syntaxError("this number is too large", at: start)
        }
        return value
    }

    private mutating func readDigits() -> String {
        var digits = String.UnicodeScalarView()
        while let next = peek(), next.isASCIIDigit {
            digits.append(next)
            advance()
        }
        return String(digits)
    }
}
