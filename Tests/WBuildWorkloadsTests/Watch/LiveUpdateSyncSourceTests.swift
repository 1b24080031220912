#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import WBuildSpec
import WBuildTestSupport
@testable import WBuild

/// A sync rule's `from` that is, or goes through, a symbolic link (possibly out of the project)
/// takes no live updates: the watcher never follows links, and the link may lead anywhere.
@Suite("Live update: a sync source through a symlink")
struct LiveUpdateSyncSourceTests {
    @Test("a from that is a link out of the project is refused, naming the rule and the link")
    func aLinkedSourceIsRefused() throws {
        let project = try TemporaryDirectory(prefix: "wbuild-linked-source")
        let outside = try TemporaryDirectory(prefix: "wbuild-outside")
        defer { project.remove(); outside.remove() }
        try project.write("web/index.html", "home")
        #expect(symlink(outside.path, project.url("web/static")) == 0)
        let rules = LiveUpdateSpec(sync: [SyncRule(from: "web", to: "/www"), SyncRule(from: "./web/static/css", to: "/css")])
        let problem = LiveUpdateCoordinator.linkedSyncSource(rules, root: project.path)
        #expect(problem?.hasPrefix("sync[1].from: \"./web/static/css\" goes through the symbolic link web/static") == true, "\(problem ?? "none")")
    }

    @Test("real directories, and a from that does not exist yet, are fine")
    func realDirectoriesAreFine() throws {
        let project = try TemporaryDirectory(prefix: "wbuild-real-source")
        defer { project.remove() }
        try project.write("web/index.html", "home")
        let rules = LiveUpdateSpec(sync: [SyncRule(from: "web", to: "/www"), SyncRule(from: "later/dir", to: "/later")])
        #expect(LiveUpdateCoordinator.linkedSyncSource(rules, root: project.path) == nil)
    }
}
