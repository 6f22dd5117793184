#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where a certificate's validity period stands at one moment, as `madoguchi diag` marks
/// it: ✓ valid, ⚠ expiring within `warningDays`, ✗ expired or not yet valid. Pure, so the
/// edges test without a certificate or a clock.
public enum CertificateTiming: Sendable, Hashable {
    /// `now` is before `notBefore`: a wrong clock, or a certificate issued for later.
    case notYetValid(from: Date)
    /// `now` is past `notAfter`.
    case expired(on: Date)
    /// Valid, but `notAfter` is at most `warningDays` away; whole days left.
    case expiresSoon(until: Date, daysLeft: Int)
    /// Valid for more than `warningDays`; whole days left.
    case valid(until: Date, daysLeft: Int)

    /// How early a coming expiry warns: the issue asks for 30 days.
    public static let warningDays = 30

    /// The timing of a certificate valid from `notBefore` to `notAfter` (both inclusive, as
    /// RFC 5280 says) at `now`; days left are whole days, rounded down.
    public init(notBefore: Date, notAfter: Date, now: Date, warningDays: Int = Self.warningDays) {
        if now < notBefore {
            self = .notYetValid(from: notBefore)
            return
        }
        if now > notAfter {
            self = .expired(on: notAfter)
            return
        }
        let remaining = notAfter.timeIntervalSince(now)
        let days = Int((remaining / 86_400).rounded(.down))
        self = remaining <= Double(warningDays) * 86_400 ? .expiresSoon(until: notAfter, daysLeft: days) : .valid(until: notAfter, daysLeft: days)
    }

    public var mark: DiagnosticMark {
        switch self {
        case .valid: .ok
        case .expiresSoon: .warning
        case .expired, .notYetValid: .failure
        }
    }

    /// A date as technicians compare it with `date -u`: `2027-11-24 09:00 UTC`.
    public static func text(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        return "\(parts.year.map(String.init) ?? "????")-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)) UTC"
    }
}
