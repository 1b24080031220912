import Testing
@testable import WBuildWorkloads

@Suite struct BaseImagesTests {
    @Test func externalBasesOnly() {
        let dockerfile = """
        # syntax comment
        FROM wbuild-samples/busybox:1 AS build
        RUN make
        FROM --platform=linux/amd64 wbuild-samples/python:3
        COPY --from=build /out /app
        FROM build AS test
        FROM scratch
        ARG BASE=x
        FROM $BASE
        from wbuild-samples/busybox:1
        """
        #expect(BaseImages.references(in: Array(dockerfile.utf8)) == ["wbuild-samples/busybox:1", "wbuild-samples/python:3"])
    }
}
