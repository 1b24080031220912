import Foundation
import WBuildCore
import WBuildRender
import WBuildSystem

/// The folder a rendering is written to, kept equal to the rendering: files whose bytes
/// changed are replaced atomically, unchanged ones are not touched (their mtimes stay, so
/// `kubectl diff` and editors see no change), and files an earlier rendering wrote that this
/// one no longer has are removed. Only files wbuild wrote are ever removed: their list is kept
/// in the folder (`.wbuild-rendered`), so a user's own files beside them are safe.
public struct RenderedFolder: Sendable {
    /// Absolute path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The list of files the last rendering wrote, relative to the folder.
    static let listingName = ".wbuild-rendered"

    /// One hash over every file's path and bytes: equal renderings, equal hashes.
    public static func hash(of rendering: Rendering) -> String {
        var hasher = SHA256()
        for file in rendering.files {
            hasher.update(file.path)
            hasher.update([0])
            hasher.update(Array(file.contents.utf8))
            hasher.update([0])
        }
        return hasher.finalize().hexString
    }

    /// Whether every file of `rendering` is on disk with exactly its bytes.
    public func holds(_ rendering: Rendering) -> Bool {
        rendering.files.allSatisfy { file in
            (try? AtomicFile.read(path + "/" + file.path)) == Array(file.contents.utf8)
        }
    }

    /// Whether the files listed as written earlier still hash to `hash`.
    public func holds(files: [String], hash expected: String) -> Bool {
        var hasher = SHA256()
        for file in files {
            guard let bytes = try? AtomicFile.read(path + "/" + file) else { return false }
            hasher.update(file)
            hasher.update([0])
            hasher.update(bytes)
            hasher.update([0])
        }
        return hasher.finalize().hexString == expected
    }

    /// What a write changed.
    public struct Changes: Sendable, Equatable {
        public var written: [String] = []
        public var unchanged: [String] = []
        public var removed: [String] = []
    }

    /// Makes the folder hold `rendering`. A file path that is absolute or leaves the folder
    /// is refused (a renderer bug, never written).
    public func write(_ rendering: Rendering) throws(SystemError) -> Changes {
        var changes = Changes()
        try AtomicFile.makeDirectories(path, mode: 0o755)
        let previous = listing()
        for file in rendering.files {
            guard !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
                throw SystemError("write \(file.path)", path: path, errno: Errno(rawValue: EINVAL), hint: "a rendered file must stay inside its folder")
            }
            let target = path + "/" + file.path
            let bytes = Array(file.contents.utf8)
            if (try? AtomicFile.read(target)) == bytes {
                changes.unchanged.append(file.path)
                continue
            }
            try AtomicFile.makeDirectories(AtomicFile.parentDirectoryPath(of: target), mode: 0o755)
            try AtomicFile.write(bytes, to: target, mode: 0o644)
            changes.written.append(file.path)
        }
        let kept = Set(rendering.files.map(\.path))
        for old in previous where !kept.contains(old) && !old.hasPrefix("/") && !old.split(separator: "/").contains("..") {
            if unlink(path + "/" + old) == 0 { changes.removed.append(old) }
            removeEmptyParents(of: old)
        }
        let list = rendering.files.map(\.path).joined(separator: "\n") + "\n"
        if (try? AtomicFile.read(path + "/" + Self.listingName)) != Array(list.utf8) {
            try AtomicFile.write(Array(list.utf8), to: path + "/" + Self.listingName, mode: 0o644)
        }
        return changes
    }

    /// The files the last write listed.
    func listing() -> [String] {
        guard let bytes = try? AtomicFile.read(path + "/" + Self.listingName) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func removeEmptyParents(of relative: String) {
        var parts = relative.split(separator: "/").dropLast()
        while !parts.isEmpty {
            guard rmdir(path + "/" + parts.joined(separator: "/")) == 0 else { return }  // not empty: stop
            parts = parts.dropLast()
        }
    }
}
