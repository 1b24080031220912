import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildSpec

@Suite("ProjectLoader: files")
struct ProjectLoaderFileTests {
    @Test("loads a project file from disk, naming it by the path given")
    func loadsFromDisk() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-spec-load")
        defer { directory.remove() }
        let path = try directory.write("wbuild.json", designExample)
        let spec = try ProjectLoader.load(path: path)
        #expect(spec.name == "shop")
        #expect(spec.workloads.count == 2)

        let broken = try directory.write("broken.json", "{\n  name: 'p',\n  tasks: { t: {} },\n}")
        #expect(throws: SpecError.self) { try ProjectLoader.load(path: broken) }
        do {
            _ = try ProjectLoader.load(path: broken)
        } catch {
            #expect(error.diagnostics.map(\.file) == [broken])
            #expect(error.description.hasPrefix("\(broken):3:15: tasks.t: expected one of `cmd` or `serve`"))
        }
    }

    @Test("a missing file says where it looked and to create wbuild.json or pass -f")
    func missingFile() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-spec-missing")
        defer { directory.remove() }
        let path = directory.url("wbuild.json")
        do {
            _ = try ProjectLoader.load(path: path)
            Issue.record("expected a missing-file error")
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(error.diagnostics.count == 1)
            #expect(diagnostic.message == "no project file: looked for \(path)")
            #expect(diagnostic.hint?.contains("create wbuild.json") == true)
            #expect(diagnostic.hint?.contains("-f") == true)
            #expect(diagnostic.line == 0)
            #expect(error.description == "\(path): no project file: looked for \(path) — \(diagnostic.hint ?? "")")
        }
    }

    @Test("a relative missing path is shown made absolute against the working directory")
    func relativeMissingPath() throws {
        let name = "wbuild-spec-no-such-\(UUID().uuidString).json"
        do {
            _ = try ProjectLoader.load(path: name)
            Issue.record("expected a missing-file error")
        } catch {
            let cwd = FileManager.default.currentDirectoryPath
            #expect(error.diagnostics.first?.message == "no project file: looked for \(cwd)/\(name)")
        }
    }

    @Test("a directory is not a project file")
    func directoryPath() throws {
        let directory = try TemporaryDirectory(prefix: "wbuild-spec-dir")
        defer { directory.remove() }
        do {
            _ = try ProjectLoader.load(path: directory.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.message == "\(directory.path) is a directory, not a project file")
        }
    }

    @Test("invalid UTF-8 is a diagnostic with its line and column, not a crash")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array("{\n  name: 'p',\n  tasks: { t: { cmd: '".utf8) + [0xFF, 0xFE] + Array("' } } }".utf8)
        do {
            _ = try ProjectLoader.parse(bytes, fileName: "wbuild.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.line == 3)
            #expect(error.diagnostics.first?.column == 23)
            #expect(error.diagnostics.first?.message.contains("not valid UTF-8") == true)
        }
    }

    @Test("a byte-order mark and CRLF line endings are fine")
    func bomAndCRLF() throws {
        let text = "\u{FEFF}{\r\n  name: 'p',\r\n}\r\n"
        #expect(try ProjectLoader.parse(Array(text.utf8), fileName: "wbuild.json").name == "p")
    }
}
