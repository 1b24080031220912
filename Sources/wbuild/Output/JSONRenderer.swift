import WBuild

/// `--json`: one JSON object per line on stdout, for every event.
struct JSONRenderer: Sendable {
    let console: Console

    func render(_ event: BuildEvent) { console.out(event.json.rendered) }
    func render(_ object: JSONText) { console.out(object.rendered) }
}
