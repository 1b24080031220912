import Testing
@testable import WBuildWorkloads

@Suite("ResourceBinary: finding the helpers wbuild ships")
struct ResourceBinaryTests {
    @Test func everyHelperIsBuiltBesideTheRunningExecutable() throws {
        for program in ResourceBinary.bundled {
            let path = try program.hostPath()
            #expect(path.hasSuffix("/wbuild_WBuildWorkloads.resources/\(program.name)"))
        }
        #expect(ResourceBinary.bundled.map(\.name) == ["wbuild-init", "wbuild-door", "wbuild-router"])
    }

    @Test func aMissingHelperSaysWhereItLookedAndWhatToDo() {
        let missing = ResourceBinary(name: "wbuild-nope", pathVariable: "WBUILD_NOPE_FOR_TESTS")
        #expect {
            try missing.hostPath()
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("not found at ") && description.contains("wbuild_WBuildWorkloads.resources/wbuild-nope")
        }
        #expect(missing.hint.contains("WBUILD_NOPE_FOR_TESTS") && missing.hint.contains("gcc and libc6-dev"))
    }
}
