import Foundation
import WBuildSystem

/// The engine calls a live update cannot do without, timed on a container of the same
/// image in the same run: copying one small file in (the archive PUT over the engine's
/// socket with `curl --unix-socket`, and `docker cp`), an exec round trip
/// (`docker exec c true`) and a container restart (`docker restart -t 0`). Each is a whole
/// process (curl or the docker CLI) timed like every other command here.
struct EngineFloors {
    var image: String
    var containerName: String
    var runName: String
    var directory: String
    var samples: Int

    struct Figures: Sendable {
        var archivePut = Samples()
        var copy = Samples()
        var exec = Samples()
        var restart = Samples()
    }

    func measure() async throws(BenchError) -> Figures {
        try ContainerProjectFiles.write(ContainerProjectFiles.page("floor"), to: directory + "/floor/index.html")
        try await ProcessTimer.runChecked(.argv(["tar", "-cf", "floor.tar", "-C", "floor", "index.html"]), in: directory)
        try await ProcessTimer.runChecked(DockerPeer.docker([
            "run", "-d", "--name", containerName, "--label", "\(DockerPeer.runLabel)=\(runName)",
            "--entrypoint", "sh", image, "/start.sh"]), in: directory)
        let put = ProcessCommand.argv([
            "curl", "-sf", "--unix-socket", "/var/run/docker.sock", "-X", "PUT", "-H", "Content-Type: application/x-tar",
            "--data-binary", "@floor.tar", "http://localhost/v1.41/containers/\(containerName)/archive?path=/content"])
        let copy = DockerPeer.docker(["cp", "floor/index.html", "\(containerName):/content/index.html"])
        let exec = DockerPeer.docker(["exec", containerName, "true"])
        let restart = DockerPeer.docker(["restart", "-t", "0", containerName])
        // One untimed run of each: the binaries and the engine's paths warm.
        for command in [put, copy, exec, restart] { try await ProcessTimer.runChecked(command, in: directory) }
        var figures = Figures()
        for _ in 0..<samples {
            figures.archivePut.append(try await ProcessTimer.runChecked(put, in: directory).milliseconds)
            figures.copy.append(try await ProcessTimer.runChecked(copy, in: directory).milliseconds)
            figures.exec.append(try await ProcessTimer.runChecked(exec, in: directory).milliseconds)
        }
        for _ in 0..<min(samples, 10) {
            figures.restart.append(try await ProcessTimer.runChecked(restart, in: directory).milliseconds)
        }
        return figures
    }
}
