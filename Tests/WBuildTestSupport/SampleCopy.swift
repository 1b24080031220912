import Foundation

/// A copy of one of Samples/ in a temporary directory under a project name of its own, so
/// tests running side by side never share containers, images or state.
public enum SampleCopy {
    /// Copies Samples/`sample` (without its `.wbuild/`) and renames its project to
    /// `<prefix>-<6 random hex>`; returns the directory and the new name.
    public static func make(_ sample: String, prefix: String) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let project = "\(prefix)-\(UUID().uuidString.prefix(6).lowercased())"
        let root = WBuildBinary.packageRoot + "/Samples/" + sample
        for item in try FileManager.default.contentsOfDirectory(atPath: root) where item != ".wbuild" {
            try FileManager.default.copyItem(atPath: root + "/" + item, toPath: dir.url(item))
        }
        let original = try dir.read("wbuild.json")
        let spec = original.replacingOccurrences(of: "name: \"\(sample)\"", with: "name: \"\(project)\"")
        _ = try dir.write("wbuild.json", spec)
        return (dir, project)
    }
}
