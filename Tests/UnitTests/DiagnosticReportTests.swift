import Diagnostics
import Foundation
import MadoguchiCore
import Testing

/// `madoguchi diag`'s report without any device: marks give the exit status, lines carry
/// the next step, and the JSON has the documented shape.
@Suite("madoguchi diag: the report")
struct DiagnosticReportTests {
    static let next = BilingualText(ja: "次にこうする。", en: "Do this next.")

    static func report(_ marks: [DiagnosticMark]) -> DiagnosticReport {
        DiagnosticReport(sections: [
            DiagnosticSection(
                id: "system", title: BilingualText(ja: "システム", en: "System"),
                checks: marks.enumerated().map { index, mark in
                    DiagnosticCheck("check-\(index)", mark, BilingualText(ja: "確認 \(index)。", en: "Check \(index)."), next: next)
                })
        ])
    }

    static let exitStatuses: [([DiagnosticMark], Int32)] = [
        ([.ok, .ok], 0), ([.ok, .skipped], 0), ([.skipped], 0), ([], 0), ([.ok, .warning, .skipped], 1),
        ([.warning, .failure, .ok], 2), ([.failure], 2),
    ]

    @Test(arguments: exitStatuses)
    func theExitStatusIsZeroForAllGoodOneForAWarningTwoForAFailure(_ marks: [DiagnosticMark], _ status: Int32) {
        #expect(Self.report(marks).exitStatus == status)
    }

    @Test func skippedChecksDoNotMakeTheOverallStatusAnythingButOk() {
        #expect(Self.report([.skipped, .skipped]).status == .ok)
        #expect(Self.report([.skipped, .warning]).status == .warning)
    }

    @Test func aWarningOrFailureLineIsFollowedByItsNextStepInJapaneseThenEnglish() {
        let lines = Self.report([.ok, .failure]).lines()
        #expect(lines[0] == "== システム / System")
        #expect(lines[1] == "✓ 確認 0。 / Check 0.")
        #expect(lines[2] == "✗ 確認 1。 / Check 1.")
        #expect(lines[3] == "    → 次にこうする。")
        #expect(lines[4] == "    → Do this next.")
        #expect(lines.last == "✗ 動かない項目があります(✗)。 / Some checks failed (✗).")
    }

    @Test func okAndSkippedChecksCarryNoNextStep() {
        let lines = Self.report([.ok, .skipped, .warning]).lines()
        #expect(lines.filter { $0.hasPrefix("    →") }.count == 2, "only the warning has one: \(lines)")
        #expect(lines.contains("– 確認 1。 / Check 1."))
        #expect(lines.contains("⚠ 確認 2。 / Check 2."))
        #expect(DiagnosticCheck("x", .ok, Self.next, next: Self.next).next == nil)
    }

    @Test func theJSONNamesTheStatusSectionsAndChecksWithNullForNoNextStep() throws {
        let text = Self.report([.ok, .warning]).json()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["status"] as? String == "warning")
        let sections = try #require(document["sections"] as? [[String: Any]])
        #expect(sections.first?["id"] as? String == "system")
        let checks = try #require(sections.first?["checks"] as? [[String: Any]])
        #expect(checks.map { $0["mark"] as? String } == ["ok", "warning"])
        #expect(checks[0]["next"] is NSNull)
        #expect((checks[1]["next"] as? [String: String]) == ["ja": "次にこうする。", "en": "Do this next."])
        #expect(checks[1]["ja"] as? String == "確認 1。" && checks[1]["en"] as? String == "Check 1.")
    }
}
