import Foundation
import Testing
@testable import WBuildRender

/// Samples/shop rendered for every target, compared byte for byte with the reviewed files in
/// Golden/shop/. A change of output is made on purpose: run with WBUILD_UPDATE_GOLDEN=1 to
/// write the new files, then review them as a diff (`git diff Tests/WBuildRenderTests/Golden`).
struct GoldenFilesTests {
    static let goldenRoot = SampleRendering.repositoryRoot + "/Tests/WBuildRenderTests/Golden/shop"

    @Test(arguments: RenderTarget.allCases)
    func shopRendersAsReviewed(target: RenderTarget) throws {
        let rendering = try SampleRendering.render(target, SampleRendering.input(try SampleRendering.spec("shop")))
        let folder = "\(Self.goldenRoot)/\(target.rawValue)"
        if ProcessInfo.processInfo.environment["WBUILD_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(atPath: folder)
            try SampleRendering.write(rendering, into: folder)
            return
        }
        let onDisk = Set((FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(folder)/\(path)", isDirectory: &isFolder) && !isFolder.boolValue
        })
        #expect(onDisk == Set(rendering.files.map(\.path)), "the files of --target \(target) changed; WBUILD_UPDATE_GOLDEN=1 rewrites Golden/")
        for file in rendering.files {
            let golden = try? String(contentsOfFile: "\(folder)/\(file.path)", encoding: .utf8)
            #expect(golden == file.contents, "\(target)/\(file.path) differs from Golden/shop; WBUILD_UPDATE_GOLDEN=1 rewrites it")
        }
    }
}
