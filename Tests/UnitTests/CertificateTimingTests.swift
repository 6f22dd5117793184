import Diagnostics
import Foundation
import Testing

/// How `madoguchi diag` marks a certificate's dates: ✓ more than 30 days left, ⚠ within
/// 30 days, ✗ expired or not yet valid; the edges are inclusive as RFC 5280 says.
@Suite("madoguchi diag: a certificate's days left")
struct CertificateTimingTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let day: TimeInterval = 86_400

    static func timing(from: TimeInterval, to: TimeInterval) -> CertificateTiming {
        CertificateTiming(notBefore: now.addingTimeInterval(from * day), notAfter: now.addingTimeInterval(to * day), now: now)
    }

    @Test func aYearLeftIsOkWithTheWholeDaysLeft() {
        let timing = Self.timing(from: -1, to: 365)
        #expect(timing == .valid(until: Self.now.addingTimeInterval(365 * Self.day), daysLeft: 365))
        #expect(timing.mark == .ok)
    }

    @Test func tenDaysLeftIsAWarning() {
        #expect(Self.timing(from: -300, to: 10) == .expiresSoon(until: Self.now.addingTimeInterval(10 * Self.day), daysLeft: 10))
        #expect(Self.timing(from: -300, to: 10).mark == .warning)
    }

    @Test func exactlyThirtyDaysLeftWarnsAndAMinuteMoreDoesNot() {
        #expect(Self.timing(from: -1, to: 30).mark == .warning)
        #expect(Self.timing(from: -1, to: 30 + 60 / Self.day).mark == .ok)
        // Part days round down: 29 days and 23 hours are 29 days.
        #expect(Self.timing(from: -1, to: 30 - 1 / 24) == .expiresSoon(until: Self.now.addingTimeInterval((30 - 1 / 24) * Self.day), daysLeft: 29))
    }

    @Test func theLastSecondIsStillValidAndTheNextIsExpired() {
        #expect(Self.timing(from: -10, to: 0).mark == .warning)
        #expect(Self.timing(from: -10, to: 0) == .expiresSoon(until: Self.now, daysLeft: 0))
        #expect(Self.timing(from: -10, to: -1 / Self.day) == .expired(on: Self.now.addingTimeInterval(-1)))
        #expect(Self.timing(from: -10, to: -1 / Self.day).mark == .failure)
    }

    @Test func aCertificateFromTheFutureIsNotYetValidWhateverItsEnd() {
        #expect(Self.timing(from: 1 / Self.day, to: 400) == .notYetValid(from: Self.now.addingTimeInterval(1)))
        #expect(Self.timing(from: 2, to: 400).mark == .failure)
        #expect(Self.timing(from: 0, to: 400).mark == .ok, "notBefore itself is valid")
    }

    @Test func theWarningDistanceCanBeChosen() {
        #expect(CertificateTiming(notBefore: Self.now, notAfter: Self.now.addingTimeInterval(50 * Self.day), now: Self.now, warningDays: 60).mark == .warning)
    }

    @Test func datesShowInUTCToTheMinute() {
        #expect(CertificateTiming.text(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00 UTC")
        #expect(CertificateTiming.text(Self.now) == "2026-11-18 11:06 UTC")
    }
}
