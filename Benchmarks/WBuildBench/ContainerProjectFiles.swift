import Foundation

/// The files of the container suites' projects: Dockerfiles, `wbuild.json` and the
/// equivalent `compose.yaml`, written into a suite's temporary directory. Every Dockerfile
/// carries `LABEL wbuild-bench.run=NAME` so clean-up finds every image built from it.
enum ContainerProjectFiles {
    static let baseImage = "wbuild-samples/busybox:1"

    /// The images suite: a Dockerfile that only copies the context (the generated `src/`
    /// tree and `nonce.txt`), a wbuild workload and a compose service that build it.
    static func writeImageContext(at root: String, name: String) throws(BenchError) {
        try write("FROM \(baseImage)\nLABEL \(DockerPeer.runLabel)=\(name)\nCOPY . /ctx\n", to: root + "/Dockerfile")
        try write(".wbuild\nwbuild.json\ncompose.yaml\n", to: root + "/.dockerignore")
        try write("""
        {
          name: "\(name)",
          workloads: { app: { build: { context: "." }, entrypoint: ["sleep", "3600"] } },
        }

        """, to: root + "/wbuild.json")
        try write("""
        name: \(name)
        services:
          app:
            build: .
            image: \(name)-compose:bench
            entrypoint: ["sleep", "3600"]

        """, to: root + "/compose.yaml")
        try writeNonce("first", at: root)
    }

    /// Changes the context's `nonce.txt`, so the next build of it is not cached.
    static func writeNonce(_ text: String, at root: String) throws(BenchError) {
        try write(text + "\n", to: root + "/nonce.txt")
    }

    /// A page whose body carries `marker`.
    static func page(_ marker: String) -> String {
        "<!doctype html>\n<title>wbuild-bench</title>\n<p>\(marker)</p>\n"
    }

    static func write(_ text: String, to path: String) throws(BenchError) {
        if let slash = path.lastIndex(of: "/") {
            try TreeGenerator.makeDirectories(String(path[..<slash]))
        }
        try TreeGenerator.write(Array(text.utf8), to: path)
    }

    /// Makes a generated script executable (CGI, start scripts).
    static func makeExecutable(_ path: String) throws(BenchError) {
        guard chmod(path, 0o755) == 0 else {
            throw BenchError(.fileSystem, "chmod 755 \(path): \(String(cString: strerror(errno)))")
        }
    }
}
