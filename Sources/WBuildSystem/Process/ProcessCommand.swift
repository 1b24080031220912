/// What a child process runs: a shell command line, or an argument vector.
public enum ProcessCommand: Sendable, Equatable, CustomStringConvertible {
    /// Runs through `/bin/sh -c`, so pipes, `&&`, globs and `$VARS` work (a task's `cmd`).
    case shell(String)
    /// Runs `argv[0]` directly with these arguments. A name without a `/` is looked up in
    /// the `PATH` of the child's environment (the launch's `environment` over the inherited one).
    case argv([String])

    /// The command as a user would type it, for messages.
    public var description: String {
        switch self {
        case .shell(let line):
            return line
        case .argv(let arguments):
            return arguments.map(Self.quotedForDisplay).joined(separator: " ")
        }
    }

    /// The first word of the command: the program a "not found" message should name.
    var programName: String {
        switch self {
        case .shell(let line):
            return line.split(separator: " ").first.map(String.init) ?? line
        case .argv(let arguments):
            return arguments.first ?? ""
        }
    }

    private static func quotedForDisplay(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.allSatisfy { character in
            character.isLetter || character.isNumber || "-_./=:,+@%".contains(character)
        }
        if plain { return argument }
        var quoted = "'"
        for character in argument {
            quoted += character == "'" ? "'\\''" : String(character)
        }
        return quoted + "'"
    }
}
