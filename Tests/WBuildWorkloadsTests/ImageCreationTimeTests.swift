import Testing
@testable import WBuildWorkloads

@Suite("ImageCreationTime: ordering images built within one second")
struct ImageCreationTimeTests {
    @Test func fractionsOfAnyLengthCompareAsNanoseconds() {
        #expect(ImageCreationTime.nanoseconds(in: "2026-11-29T13:39:36.081129186Z") == 81_129_186)
        #expect(ImageCreationTime.nanoseconds(in: "2026-11-29T13:39:36.08112Z") == 81_120_000)
        #expect(ImageCreationTime.nanoseconds(in: "2026-11-29T13:39:36Z") == 0)
        #expect(ImageCreationTime.nanoseconds(in: "garbage") == 0)
        let earlier = ImageCreationTime(seconds: 100, rfc3339: "…:40.08112Z")
        let later = ImageCreationTime(seconds: 100, rfc3339: "…:40.081129186Z")
        #expect(earlier < later)
        #expect(later < ImageCreationTime(seconds: 101, rfc3339: nil))
    }
}
