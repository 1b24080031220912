// The library's public surface: the facade types in this module, plus the graph vocabulary
// (NodeID, NodeStatus, BuildEvent, RunReason, …) from WBuildCore so callers import one module.
@_exported import WBuildCore
