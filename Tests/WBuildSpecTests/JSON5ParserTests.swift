import Testing
@testable import WBuildSpec

@Suite("JSON5 parser: accepted syntax")
struct JSON5AcceptedSyntaxTests {
    @Test("plain JSON reads as JSON")
    func plainJSON() throws {
        let value = try parseJSON5(#"{"a": [1, -2.5, true, false, null, "x"], "b": {}}"#)
        #expect(canonical(value) == #"{"a":[1,-2.5,true,false,null,"x"],"b":{}}"#)
    }

    @Test("line and block comments are skipped")
    func comments() throws {
        let value = try parseJSON5("""
            // leading
            { /* inside */ a: 1, // after
              /* multi
                 line */ b: 2 }
            // trailing
            """)
        #expect(canonical(value) == #"{"a":1,"b":2}"#)
    }

    @Test("trailing commas in objects and arrays")
    func trailingCommas() throws {
        #expect(canonical(try parseJSON5("{a: [1, 2,], b: 3,}")) == #"{"a":[1,2],"b":3}"#)
    }

    @Test("unquoted identifier keys, including $, _ and non-ASCII letters")
    func identifierKeys() throws {
        let value = try parseJSON5("{ dependsOn: 1, $x: 2, _y3: 3, café: 4, null: 5 }")
        #expect(canonical(value) == #"{"dependsOn":1,"$x":2,"_y3":3,"café":4,"null":5}"#)
    }

    @Test("single-quoted strings and quotes inside strings")
    func singleQuotes() throws {
        #expect(canonical(try parseJSON5(#"['it\'s', "say \"hi\"", 'a"b', "a'b"]"#))
                == #"["it's","say "hi"","a"b","a'b"]"#)
    }

    @Test("escapes: \\n \\t \\b \\f \\v \\0 \\xHH \\uHHHH, surrogate pairs, identity escapes")
    func escapes() throws {
        let value = try parseJSON5(#"["a\nb\tc", "\b\f\v\0", "\x41\u00e9", "\ud83d\ude00", "\q\/"]"#)
        guard case .array(let elements) = value.kind, elements.count == 5 else {
            Issue.record("expected an array of 5")
            return
        }
        let strings = elements.compactMap { element -> String? in
            if case .string(let text) = element.kind { return text }
            return nil
        }
        #expect(strings == ["a\nb\tc", "\u{08}\u{0C}\u{0B}\u{00}", "Aé", "😀", "q/"])
    }

    @Test("a backslash before a line break continues the string on the next line")
    func lineContinuation() throws {
        #expect(canonical(try parseJSON5("'one \\\ntwo \\\r\nthree'")) == #""one two three""#)
    }

    @Test("numbers: hex, leading and trailing point, plus sign, exponents")
    func numbers() throws {
        let value = try parseJSON5("[0x1F, 0XfF, -0x10, .5, 5., +3, -.25e2, 1E3, 0, -0, 1.5e-1]")
        #expect(canonical(value) == "[31,255,-16,0.5,5,3,-25,1000,0,0,0.15]")
    }

    @Test("the literal text of a number is kept")
    func numberLiteral() throws {
        let value = try parseJSON5("0x1F")
        #expect(value.kind == .number(JSONNumber(value: 31, literal: "0x1F")))
    }

    @Test("objects keep their keys in declaration order")
    func keyOrder() throws {
        let value = try parseJSON5("{ zeta: 1, alpha: 2, mid: 3 }")
        guard case .object(let members) = value.kind else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["zeta", "alpha", "mid"])
    }

    @Test("whitespace of every JSON5 kind, including a byte-order mark, is skipped")
    func whitespaceKinds() throws {
        #expect(canonical(try parseJSON5("\u{FEFF}\t\u{0B}\u{0C} \u{A0}\u{2028}\u{2029}\u{3000}[1]\r\n")) == "[1]")
    }

    @Test("values start where the file says, counting lines and columns from 1")
    func locations() throws {
        let value = try parseJSON5("{\n  a: 1,\n  'b': [true,\n    \"é\"]\n}")
        #expect(value.location == SourcePosition(line: 1, column: 1))
        guard case .object(let members) = value.kind, members.count == 2 else {
            Issue.record("expected an object with two members")
            return
        }
        #expect(members[0].keyLocation == SourcePosition(line: 2, column: 3))
        #expect(members[0].value.location == SourcePosition(line: 2, column: 6))
        #expect(members[1].keyLocation == SourcePosition(line: 3, column: 3))
        #expect(members[1].value.location == SourcePosition(line: 3, column: 8))
        #expect(members[1].value[0]?.location == SourcePosition(line: 3, column: 9))
        #expect(members[1].value[1]?.location == SourcePosition(line: 4, column: 5))
    }

    @Test("CRLF counts as one line break; columns count characters, not bytes")
    func crlfAndColumns() throws {
        let value = try parseJSON5("{\r\n'ééé': 1, b: 2}")
        guard case .object(let members) = value.kind, members.count == 2 else {
            Issue.record("expected an object with two members")
            return
        }
        #expect(members[0].keyLocation == SourcePosition(line: 2, column: 1))
        #expect(members[1].keyLocation == SourcePosition(line: 2, column: 11))
    }

    @Test("nesting up to the limit is fine")
    func nestingAtLimit() throws {
        let depth = JSON5Parser.defaultMaximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try parseJSON5(text) }
    }
}

/// A malformed input, where it must fail, and a phrase the message must contain.
struct MalformedCase: Sendable {
    let input: String
    let line: Int
    let column: Int
    let phrase: String
    init(_ input: String, _ line: Int, _ column: Int, _ phrase: String) {
        self.input = input
        self.line = line
        self.column = column
        self.phrase = phrase
    }
}

@Suite("JSON5 parser: errors name the place and what was expected")
struct JSON5ErrorTests {
    /// Each case: input, expected line:column, a phrase the message must contain.
    static let cases: [MalformedCase] = [
        MalformedCase("", 1, 1, "empty"),
        MalformedCase("  // only a comment\n", 2, 1, "empty"),
        MalformedCase("{a: 1} x", 1, 8, "expected the end of the file"),
        MalformedCase("{a 1}", 1, 4, "expected `:`"),
        MalformedCase("{a: 1 b: 2}", 1, 7, "expected `,` or `}`"),
        MalformedCase("[1 2]", 1, 4, "expected `,` or `]`"),
        MalformedCase("[1,,2]", 1, 4, "expected a value or `]`"),
        MalformedCase("{,}", 1, 2, "expected a key"),
        MalformedCase("{a: 1,,}", 1, 7, "expected a key"),
        MalformedCase("{a: 1", 1, 6, "close the object opened at 1:1"),
        MalformedCase("{a:", 1, 4, "expected a value"),
        MalformedCase("[1,", 1, 4, "close the array opened at 1:1"),
        MalformedCase("[1", 1, 3, "close the array"),
        MalformedCase("{a: 1, a: 2}", 1, 8, "duplicate key \"a\""),
        MalformedCase("{'a': 1, \"a\": 2}", 1, 10, "already set it at 1:2"),
        MalformedCase("'abc", 1, 1, "never closed"),
        MalformedCase("'ab\ncd'", 1, 4, "cannot span lines"),
        MalformedCase("/* open", 1, 1, "never closed: expected `*/`"),
        MalformedCase("[1] /", 1, 5, "lone `/`"),
        MalformedCase("[Infinity]", 1, 2, "`Infinity` is not allowed"),
        MalformedCase("-Infinity", 1, 1, "`Infinity` is not allowed"),
        MalformedCase("NaN", 1, 1, "`NaN` is not allowed"),
        MalformedCase("{a: shop}", 1, 5, "strings need quotes"),
        MalformedCase("[01]", 1, 2, "cannot start with 0"),
        MalformedCase("[0x]", 1, 4, "hex digits"),
        MalformedCase("[1e]", 1, 4, "exponent"),
        MalformedCase("[1.2.3]", 1, 5, "right after a number"),
        MalformedCase("[12abc]", 1, 4, "right after a number"),
        MalformedCase("[-]", 1, 3, "expected a number"),
        MalformedCase("[+.]", 1, 3, "expected a number"),
        MalformedCase("[1e999]", 1, 2, "too large"),
        MalformedCase("['\\x4']", 1, 6, "2 hex digits"),
        MalformedCase("['\\u12']", 1, 7, "4 hex digits"),
        MalformedCase("['\\ud800']", 1, 3, "surrogate"),
        MalformedCase("['\\udc00']", 1, 3, "lone surrogate"),
        MalformedCase("['\\ud800\\u0041']", 1, 3, "surrogate pair"),
        MalformedCase("['\\01']", 1, 5, "octal"),
        MalformedCase("['\\7']", 1, 4, "octal"),
        MalformedCase("['\\", 1, 4, "escape"),
        MalformedCase("{a\\u0041: 1}", 1, 3, "quote the key"),
        MalformedCase("{\\u0041: 1}", 1, 2, "quote the key"),
        MalformedCase("@", 1, 1, "expected a value, found `@`"),
        MalformedCase("[\u{07}]", 1, 2, "U+0007"),
        MalformedCase("{\n  a: 1,\n  b: }", 3, 6, "expected a value, found `}`"),
    ]

    @Test("each malformed input fails at its place with a message saying what was expected",
          arguments: cases.indices)
    func malformed(index: Int) {
        let testCase = Self.cases[index]
        let input = testCase.input
        let location = SourcePosition(line: testCase.line, column: testCase.column)
        let phrase = testCase.phrase
        guard let error = json5Error(input) else {
            Issue.record("expected \(input.debugDescription) to fail")
            return
        }
        #expect(error.location == location, Comment(rawValue: input.debugDescription + ": " + error.description))
        #expect(error.message.contains(phrase), Comment(rawValue: input.debugDescription + ": " + error.description))
    }

    @Test("the description reads file:line:column: message")
    func descriptionFormat() {
        let error = json5Error("{\n  a: 1 b: 2 }")
        #expect(error?.description == "test.json5:2:8: expected `,` or `}` after the value of \"a\", found `b`")
    }

    @Test("nesting deeper than the limit is an error, not a crash")
    func nestingBeyondLimit() {
        let depth = JSON5Parser.defaultMaximumDepth + 1
        let error = json5Error(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(error?.message.contains("deeper than 256") == true)
        let deepObjects = String(repeating: "{a:", count: 100_000)
        #expect(json5Error(deepObjects)?.message.contains("deeper than 256") == true)
    }

    @Test("invalid UTF-8 is an error at the line and column where it starts")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("{\n  a: '".utf8) + [0xC3, 0x28] + Array("'}".utf8)
        #expect(throws: JSON5SyntaxError.self) { try JSON5Parser(fileName: "x").parse(bytes) }
        do {
            _ = try JSON5Parser(fileName: "x").parse(bytes)
        } catch {
            #expect(error.location == SourcePosition(line: 2, column: 7))
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test("a very long bare word is shortened in the message")
    func longWordShortened() {
        let error = json5Error("[" + String(repeating: "w", count: 10_000) + "]")
        #expect((error?.message.count ?? .max) < 200)
    }
}
