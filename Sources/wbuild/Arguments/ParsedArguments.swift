import WBuild

/// The command line, parsed: a command, its flags and its positional arguments.
///
/// Flags are declared per command (`FlagSpec`); anything undeclared is a usage error that
/// names the flag and suggests the closest one, exit 2.
struct ParsedArguments: Equatable {
    var command: String
    /// Flag name (long form, without dashes) → values; switches get `["true"]`.
    var flags: [String: [String]] = [:]
    var positionals: [String] = []

    func has(_ flag: String) -> Bool { flags[flag] != nil }
    func value(_ flag: String) -> String? { flags[flag]?.last }
    func values(_ flag: String) -> [String] { flags[flag] ?? [] }
}

/// A flag a command accepts.
struct FlagSpec: Equatable {
    var long: String
    var short: Character?
    /// Whether it takes a value (`--file PATH`) or is a switch (`--json`).
    var takesValue: Bool
    var help: String
    var valueName: String = "VALUE"
}

/// A usage mistake: printed with the command's usage, exit code 2.
struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    var command: String?
    var description: String { message }
}

enum ArgumentParser {
    /// Parses `arguments` (without the program name) for `command`, given its accepted flags.
    /// Supports `--flag value`, `--flag=value`, `-f value`, `-fVALUE`, `-j4`, and `--` to end flags.
    static func parse(_ arguments: [String], command: String, accepting specs: [FlagSpec]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments(command: command)
        var index = 0
        var flagsEnded = false
        func spec(long: String) -> FlagSpec? { specs.first { $0.long == long } }
        func spec(short: Character) -> FlagSpec? { specs.first { $0.short == short } }

        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if flagsEnded || argument == "-" || !argument.hasPrefix("-") {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                flagsEnded = true
                continue
            }
            var name: String
            var inlineValue: String?
            let found: FlagSpec
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    inlineValue = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
                guard let match = spec(long: name) else {
                    throw UsageError(message: "unknown option --\(name) for `wbuild \(command)`\(suggestion(for: name, among: specs.map(\.long)))",
                                     command: command)
                }
                found = match
            } else {
                let body = Array(argument.dropFirst())
                guard let first = body.first, let match = spec(short: first) else {
                    throw UsageError(message: "unknown option \(argument) for `wbuild \(command)`", command: command)
                }
                found = match
                name = match.long
                if body.count > 1 {
                    guard match.takesValue else {
                        throw UsageError(message: "option -\(first) takes no value (in \(argument))", command: command)
                    }
                    inlineValue = String(body.dropFirst())
                }
            }
            if found.takesValue {
                if let inlineValue {
                    parsed.flags[found.long, default: []].append(inlineValue)
                } else if index < arguments.count {
                    parsed.flags[found.long, default: []].append(arguments[index])
                    index += 1
                } else {
                    throw UsageError(message: "option --\(found.long) needs a value (\(found.valueName))", command: command)
                }
            } else {
                if inlineValue != nil {
                    throw UsageError(message: "option --\(found.long) takes no value", command: command)
                }
                parsed.flags[found.long] = ["true"]
            }
        }
        return parsed
    }

    /// "; did you mean --x?" for a likely typo of a known flag, or "".
    static func suggestion(for name: String, among candidates: [String]) -> String {
        Suggestion.closest(to: name, among: candidates).map { "; did you mean --\($0)?" } ?? ""
    }
}
