import Foundation
import Testing
import WBuildTestSupport
@testable import WBuildDocker

@Suite("Tar writer")
struct TarWriterTests {
    static let longPath = (1...30).map { "directory\($0 % 10)" }.joined(separator: "/") + "/file.txt"   // > 300 bytes
    static let longName = String(repeating: "n", count: 120) + ".txt"
    static let unicodeName = "données/résumé-日本.txt"

    /// A sample tree covering every case that needs PAX, plus the plain ones.
    static func sampleEntries(bigFile: String) -> [TarEntry] {
        [
            .directory("app"),
            .file("app/hello.txt", contents: Array("hello\n".utf8)),
            .file("app/run.sh", contents: Array("#!/bin/sh\necho run\n".utf8), executable: true),
            .directory("app/empty"),
            .symlink("app/link-to-hello", target: "hello.txt"),
            .symlink("app/dangling", target: "/nowhere/" + String(repeating: "x", count: 120)),
            .file(longPath, contents: Array("deep\n".utf8)),
            .file("app/" + longName, contents: Array("long name\n".utf8)),
            .file(unicodeName, contents: Array("unicode\n".utf8)),
            .file("app/big.bin", from: bigFile),
        ]
    }

    static func makeBigFile(in directory: TemporaryDirectory) throws -> (path: String, bytes: [UInt8]) {
        // Not a multiple of the chunk size or the block size, so padding and partial chunks are exercised.
        let bytes = (0..<(3 * TarWriter.chunkSize + 777)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = directory.url("big-source.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    @Test("system tar lists and extracts long, non-ASCII, symlink, empty-dir and streamed entries")
    func roundTripThroughSystemTar() throws {
        let directory = try TemporaryDirectory(prefix: "tar-roundtrip")
        defer { directory.remove() }
        let big = try Self.makeBigFile(in: directory)
        let archive = try TarWriter.archive(Self.sampleEntries(bigFile: big.path))
        let archivePath = directory.url("out.tar")
        try Data(archive).write(to: URL(fileURLWithPath: archivePath))

        let listing = try SystemTar.run(["-tf", archivePath]).split(separator: "\n").map(String.init)
        #expect(listing == ["app/", "app/hello.txt", "app/run.sh", "app/empty/", "app/link-to-hello", "app/dangling",
                            Self.longPath, "app/" + Self.longName, Self.unicodeName, "app/big.bin"])
        let verbose = try SystemTar.run(["-tvf", archivePath, "--numeric-owner"])
        #expect(verbose.contains("lrwxrwxrwx 0/0"))
        #expect(verbose.contains("-rwxr-xr-x 0/0"))
        #expect(verbose.contains("1970-01-01"))

        let extracted = directory.url("extracted")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        _ = try SystemTar.run(["-xf", archivePath, "-C", extracted])
        let files = FileManager.default
        #expect(try String(contentsOfFile: extracted + "/app/hello.txt", encoding: .utf8) == "hello\n")
        #expect(try String(contentsOfFile: extracted + "/" + Self.longPath, encoding: .utf8) == "deep\n")
        #expect(try String(contentsOfFile: extracted + "/app/" + Self.longName, encoding: .utf8) == "long name\n")
        #expect(try String(contentsOfFile: extracted + "/" + Self.unicodeName, encoding: .utf8) == "unicode\n")
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: extracted + "/app/big.bin"))) == big.bytes)
        #expect(try files.destinationOfSymbolicLink(atPath: extracted + "/app/link-to-hello") == "hello.txt")
        #expect(try files.destinationOfSymbolicLink(atPath: extracted + "/app/dangling") == "/nowhere/" + String(repeating: "x", count: 120))
        #expect(try files.contentsOfDirectory(atPath: extracted + "/app/empty").isEmpty)
        let runMode = try files.attributesOfItem(atPath: extracted + "/app/run.sh")[.posixPermissions] as? Int
        #expect(runMode == 0o755)
    }

    @Test("two runs over the same entries give identical bytes")
    func deterministic() throws {
        let directory = try TemporaryDirectory(prefix: "tar-deterministic")
        defer { directory.remove() }
        let big = try Self.makeBigFile(in: directory)
        let first = try TarWriter.archive(Self.sampleEntries(bigFile: big.path))
        let second = try TarWriter.archive(Self.sampleEntries(bigFile: big.path))
        #expect(first == second)
        #expect(first.count % 512 == 0)
    }

    @Test("PAX headers appear only when USTAR cannot hold the entry")
    func paxOnlyWhenNeeded() throws {
        let plain = try TarWriter.archive([.file("a/b.txt", contents: [1, 2, 3]), .directory("a")])
        #expect(plain[156] == UInt8(ascii: "0"))
        #expect(plain[1024 + 156] == UInt8(ascii: "5"))
        #expect(plain.count == 512 + 512 + 512 + 1024)   // header, data block, dir header, trailer
        // A 216-byte path still fits the prefix/name split, so no PAX block.
        let splittable = String(repeating: "p", count: 150) + "/" + String(repeating: "n", count: 65)
        #expect(try TarWriter.archive([.file(splittable, contents: [])]).count == 512 + 1024)
        let big = TarEntry(path: "ids", kind: .file(.bytes([])),
                           header: TarHeaderFields(mode: 0o644, uid: 3_000_000, gid: 5, mtime: 1_700_000_000))
        let withPax = try TarWriter.archive([big])
        #expect(withPax[156] == UInt8(ascii: "x"))
        #expect(String(decoding: withPax[512..<1024], as: UTF8.self).contains("uid=3000000\n"))
        let directory = try TemporaryDirectory(prefix: "tar-pax-uid")
        defer { directory.remove() }
        try Data(withPax).write(to: URL(fileURLWithPath: directory.url("ids.tar")))
        #expect(try SystemTar.run(["-tvf", directory.url("ids.tar"), "--numeric-owner"]).contains("3000000/5"))
    }

    @Test("PAX record lengths count their own digits")
    func paxRecordLength() {
        let record = TarHeaderBlock.paxRecords([("path", Array(String(repeating: "a", count: 91).utf8))])
        // " path=" + 91 + "\n" = 98 bytes, plus 3 digits = 101: the length crosses into three digits.
        #expect(Array(String(decoding: record, as: UTF8.self).prefix(4).utf8) == Array("101 ".utf8))
        #expect(record.count == 101)
    }

    @Test("deterministic headers normalise modes and owners")
    func deterministicHeader() {
        #expect(TarWriter.deterministicHeader(for: .file(.bytes([])), mode: 0o700) == TarHeaderFields(mode: 0o755))
        #expect(TarWriter.deterministicHeader(for: .file(.bytes([])), mode: 0o600) == TarHeaderFields(mode: 0o644))
        #expect(TarWriter.deterministicHeader(for: .directory, mode: 0o700, mtime: 42) == TarHeaderFields(mode: 0o755, mtime: 42))
    }

    @Test("the sink receives file contents in bounded chunks")
    func streamsInChunks() throws {
        let directory = try TemporaryDirectory(prefix: "tar-chunks")
        defer { directory.remove() }
        let big = try Self.makeBigFile(in: directory)
        var largestPiece = 0
        var writer = TarWriter { largestPiece = max(largestPiece, $0.count) }
        try writer.append(.file("big", from: big.path))
        try writer.finish()
        #expect(largestPiece <= TarWriter.chunkSize)
    }

    @Test("the PAX decision: each field beyond USTAR's reach gets its record, and only that one")
    func paxDecision() {
        func keys(_ entry: TarEntry, size: Int64 = 0) -> [String] {
            TarWriter.headerLayout(path: entry.path, entry: entry, type: .regular, size: size).pax.map(\.key)
        }
        let plain = TarEntry.file("a.txt", contents: [])
        #expect(keys(plain).isEmpty)
        #expect(keys(plain, size: 8 * 1024 * 1024 * 1024 - 1).isEmpty)
        #expect(keys(plain, size: 8 * 1024 * 1024 * 1024) == ["size"])
        var ids = plain
        ids.header.uid = 2_097_151
        #expect(keys(ids).isEmpty)
        ids.header.uid = 2_097_152
        ids.header.gid = 3_000_000
        #expect(keys(ids) == ["uid", "gid"])
        var names = plain
        names.header.uname = "jösé"
        names.header.gname = String(repeating: "g", count: 33)
        #expect(keys(names) == ["uname", "gname"])
        #expect(keys(.symlink("l", target: String(repeating: "t", count: 100))).isEmpty)
        #expect(keys(.symlink("l", target: String(repeating: "t", count: 101))) == ["linkpath"])
        #expect(keys(.file("café.txt", contents: [])) == ["path"])
        #expect(keys(.file(String(repeating: "d", count: 156) + "/f", contents: [])) == ["path"])
    }

    @Test("a hard link extracts as a second name of the same file, with the modes and mtimes given")
    func hardLinksAndExactHeaders() throws {
        let directory = try TemporaryDirectory(prefix: "tar-hardlink")
        defer { directory.remove() }
        let archive = try TarWriter.archive([
            TarEntry(path: "private", kind: .directory, header: TarHeaderFields(mode: 0o700, mtime: 978_307_200)),
            TarEntry(path: "private/key", kind: .file(.bytes(Array("key\n".utf8))), header: TarHeaderFields(mode: 0o600, mtime: 978_307_200)),
            .hardLink("again", target: "private/key", header: TarHeaderFields(mode: 0o600, mtime: 978_307_200)),
        ])
        let archivePath = directory.url("out.tar")
        try Data(archive).write(to: URL(fileURLWithPath: archivePath))
        let verbose = try SystemTar.run(["-tvf", archivePath, "--numeric-owner"])
        #expect(verbose.contains("drwx------ 0/0"))
        #expect(verbose.contains("again link to private/key"))
        #expect(verbose.contains("2001-01-01"))
        let extracted = directory.url("x")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        _ = try SystemTar.run(["-xf", archivePath, "-C", extracted])
        let original = try FileManager.default.attributesOfItem(atPath: extracted + "/private/key")
        let link = try FileManager.default.attributesOfItem(atPath: extracted + "/again")
        #expect((original[.systemFileNumber] as? Int) == (link[.systemFileNumber] as? Int))
        #expect((link[.posixPermissions] as? Int) == 0o600)
    }
}
