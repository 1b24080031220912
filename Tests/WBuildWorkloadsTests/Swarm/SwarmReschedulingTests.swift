import Foundation
import Testing
import WBuildDocker
import WBuildWorkloads

/// `wbuild status --target swarm` says a service was moved off a down node only when one of its
/// tasks was running there: found on a real three-node swarm, where a rolled-back update's
/// failed task on a node later killed made a service that never ran there "moved off" it.
struct SwarmReschedulingTests {
    static func task(_ id: String, node: String, desired: String, state: String) throws -> SwarmTask {
        let json = #"{"ID":"\#(id)","ServiceID":"s","NodeID":"\#(node)","DesiredState":"\#(desired)","Status":{"State":"\#(state)"}}"#
        return try JSONDecoder().decode(SwarmTask.self, from: Data(json.utf8))
    }

    @Test func onlyTasksStillRunningOnADownNodeWereMovedOffIt() throws {
        let tasks = [
            try Self.task("a", node: "n2", desired: "shutdown", state: "running"),   // node went down under it
            try Self.task("b", node: "n3", desired: "shutdown", state: "failed"),    // an update's failed task
            try Self.task("c", node: "n3", desired: "shutdown", state: "shutdown"),  // rolled back before
            try Self.task("d", node: "n1", desired: "running", state: "running"),    // its replacement
        ]
        #expect(SwarmRescheduling.movedOff(tasks, downNodes: ["n2", "n3"]) == ["n2"])
        #expect(SwarmRescheduling.movedOff(tasks, downNodes: ["n3"]).isEmpty)
        #expect(SwarmRescheduling.movedOff(tasks, downNodes: []).isEmpty)
    }
}
