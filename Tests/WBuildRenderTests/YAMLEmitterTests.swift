import Testing
@testable import WBuildRender

/// The YAML writer: strings that any YAML 1.1 or 1.2 reader would take for something else are
/// quoted; nesting and empty collections come out as kubectl and Helm read them.
struct YAMLEmitterTests {
    @Test func ambiguousStringsAreQuoted() {
        for text in ["", "no", "Yes", "on", "OFF", "null", "~", "8080", "1e3", "0o17", ".5", "-1", "+1", ".inf", "- item",
                     "key: value", "a #comment", "*alias", "&anchor", "!tag", "{x}", "[x]", "trailing ", " leading",
                     "ends:", "multi\nline", "tab\there", "@at", "%pct", "`tick", "'single", "\"double", "ü"] {
            let written = YAMLEmitter.scalar(text)
            #expect(written.hasPrefix("\""), "\(text.debugDescription) must be quoted, got \(written)")
        }
    }

    @Test func ordinaryStringsStayPlain() {
        for text in ["api", "http", "/healthz", "app.kubernetes.io/name", "a-b_c.d",
                     "httpd -f", "http://api:8080", "KV_ADDR", "shop/api@sha256:ab"] {
            #expect(YAMLEmitter.scalar(text) == text)
        }
    }

    @Test func nestedDocumentLayout() {
        let value: RenderValue = [
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": ["name": "api", "labels": .emptyMap],
            "spec": [
                "ports": [["name": "http", "port": 8080], ["name": "debug", "port": 9229]],
                "args": ["a", "b"],
                "empty": [],
                "nested": [["x", "y"]],
            ],
        ]
        let expected = """
        apiVersion: v1
        kind: Service
        metadata:
          name: api
          labels: {}
        spec:
          ports:
            - name: http
              port: 8080
            - name: debug
              port: 9229
          args:
            - a
            - b
          empty: []
          nested:
            - - x
              - "y"

        """
        #expect(YAMLEmitter.document(value) == expected)
    }

    @Test func escapesInQuotedStrings() {
        #expect(YAMLEmitter.quoted("a\"b\\c\nd\u{1}") == "\"a\\\"b\\\\c\\nd\\u0001\"")
    }

    @Test func jsonIsOrderedAndIndented() {
        let value: RenderValue = ["b": 1, "a": ["x": .number(0.5), "y": .null], "c": []]
        #expect(JSONEmitter.document(value) == "{\n  \"b\": 1,\n  \"a\": {\n    \"x\": 0.5,\n    \"y\": null\n  },\n  \"c\": []\n}\n")
    }

    @Test func imageReferencesSplitAsDockerReadsThem() {
        let withPort = RenderedImage(parsing: "127.0.0.1:5000/shop/api:3f2a@sha256:ab", isPublished: true)
        #expect(withPort.repository == "127.0.0.1:5000/shop/api")
        #expect(withPort.tag == "3f2a")
        #expect(withPort.digest == "sha256:ab")
        #expect(withPort.reference == "127.0.0.1:5000/shop/api@sha256:ab")
        let portOnly = RenderedImage(parsing: "localhost:5000/redis", isPublished: true)
        #expect(portOnly.repository == "localhost:5000/redis")
        #expect(portOnly.tag == nil)
        #expect(RenderedImage(parsing: "redis:7", isPublished: true).reference == "redis:7")
    }

    @Test func quantities() {
        #expect(Quantities.cpu(0.5) == "500m")
        #expect(Quantities.cpu(2) == "2")
        #expect(Quantities.memory(256 << 20) == "256Mi")
        #expect(Quantities.memory(1 << 30) == "1Gi")
        #expect(Quantities.memory(1000) == "1000")
        #expect(Quantities.duration(200) == "200ms")
        #expect(Quantities.duration(5000) == "5s")
        #expect(Quantities.duration(90_000) == "1m30s")
        #expect(KubernetesVersion(parsing: "v1.20") == KubernetesVersion(major: 1, minor: 20))
        #expect(KubernetesVersion(parsing: "1.x") == nil)
    }
}
