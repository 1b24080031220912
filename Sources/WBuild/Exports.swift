// The library's public surface: the facade types in this module, plus the graph vocabulary
// (NodeID, NodeStatus, BuildEvent, RunReason, …) from WBuildCore and the spec model from WBuildSpec so callers import one module.
@_exported import WBuildCore
// The project-file model (ProjectSpec, WorkloadSpec, …) and its diagnostics.
@_exported import WBuildSpec
// Render targets, Kubernetes versions and the renderers' output types (RenderTarget, Rendering, …).
@_exported import WBuildRender
