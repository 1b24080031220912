/// kubectl (or helm) bound to one kube context: every call names it (`--context`,
/// `--kube-context`), so a kubeconfig whose current context changes meanwhile cannot redirect
/// a deploy.
struct KubectlSession: Sendable {
    let tool: ClusterTool
    let context: String

    private var contextArguments: [String] {
        tool.program == .helm ? ["--kube-context", context] : ["--context", context]
    }

    func run(_ arguments: [String], standardInput: [UInt8]? = nil) async throws(WBuildError) -> ClusterTool.Output {
        try await tool.run(contextArguments + arguments, standardInput: standardInput)
    }

    func checked(_ arguments: [String], _ what: String, hint: String? = nil) async throws(WBuildError) -> String {
        try await tool.checked(contextArguments + arguments, what, hint: hint)
    }
}
