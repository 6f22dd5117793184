/// What the kiosk does with each answer of the back office (schemas/openapi.yaml, "Client
/// rules"; architecture.md, "Sync protocol"). Pure: the sync worker feeds it statuses and
/// headers, and it never sees a body's content.
public enum DeliveryDecision: Sendable, Hashable {
    /// 201 or 200: the back office has it; delete the row.
    case acknowledge
    /// Transient (408, 429, 5xx, network): try again later; `retryAfter` seconds when the
    /// back office said so.
    case retry(retryAfter: Int?)
    /// The submission itself is wrong (400, 409, 413, 422): keep it for staff, stop sending it.
    case deadLetter
    /// A problem with the kiosk's credential or configuration (401, 403, a redirect, 404,
    /// 405): pause the whole queue, dead-letter nothing.
    case pause
}

public enum DeliveryPolicy {
    /// The decision for an HTTP status. Unknown 4xx statuses retry (nothing is lost, the
    /// back-off caps the load); 3xx, 404 and 405 mean `[backoffice] url` is wrong, so the
    /// queue pauses instead of dead-lettering every submission.
    public static func decision(status: Int, retryAfter: String? = nil) -> DeliveryDecision {
        switch status {
        case 200, 201: .acknowledge
        case 200..<300: .acknowledge
        case 400, 409, 413, 422: .deadLetter
        case 401, 403, 404, 405: .pause
        case 300..<400: .pause
        case 408, 429, 500..<600: .retry(retryAfter: retryAfter.flatMap(RetryAfter.seconds))
        default: .retry(retryAfter: nil)
        }
    }

    /// A short reason for the outbox's `lastError` or pause: the status and what it means,
    /// never a word of the body.
    public static func reason(status: Int, problemType: String? = nil) -> String {
        let meaning: String
        switch status {
        case 400: meaning = "malformed request"
        case 401: meaning = "credential missing or invalid"
        case 403: meaning = "credential not allowed"
        case 404, 405: meaning = "wrong back-office URL"
        case 300..<400: meaning = "redirect: check the back-office URL"
        case 408: meaning = "receiver timed out"
        case 409: meaning = "id already received with another body"
        case 413: meaning = "body too large"
        case 422: meaning = "refused by the receiver's checks"
        case 429: meaning = "too many requests"
        case 500..<600: meaning = "receiver trouble"
        default: meaning = "unexpected status"
        }
        let type = problemType.map(ProblemType.slug) ?? nil
        return "\(status) \(meaning)" + (type.map { " (\($0))" } ?? "")
    }
}

/// The `Retry-After` header in delta-seconds, the only form the contract allows.
public enum RetryAfter {
    /// The most a back office may ask the kiosk to wait: a day.
    public static let maximumSeconds = 86_400

    /// Seconds, or `nil` for anything but 1–9 ASCII digits (an HTTP date, garbage);
    /// larger values are capped at a day.
    public static func seconds(_ header: String) -> Int? {
        let text = header.utf8.drop { $0 == 0x20 || $0 == 0x09 }
        let digits = text.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty, digits.count <= 9, text.dropFirst(digits.count).allSatisfy({ $0 == 0x20 || $0 == 0x09 })
        else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return min(value, maximumSeconds)
    }
}

/// Problem types are URIs (`https://madoguchi.example/problems/schema`); the outbox keeps
/// only their last path segment, when it is a plain word.
enum ProblemType {
    static func slug(_ type: String) -> String? {
        guard let last = type.split(separator: "/").last, !last.isEmpty, last.count <= 40,
            last.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        return String(last)
    }
}

/// Capped exponential back-off with full jitter (`[backoffice] retryInitialSeconds`,
/// `retryMaxSeconds`); a larger Retry-After wins.
public struct Backoff: Sendable, Hashable {
    public var initialSeconds: Double
    public var maximumSeconds: Double

    public init(initialSeconds: Double = 5, maximumSeconds: Double = 900) {
        self.initialSeconds = max(0.001, initialSeconds)
        self.maximumSeconds = max(self.initialSeconds, maximumSeconds)
    }

    /// The wait before try `attempt + 1`, after `attempt` failed tries (1 or more), with
    /// `random` in 0..<1 drawn by the caller: uniform in `0...min(max, initial·2^(attempt-1))`,
    /// but never less than `retryAfter`.
    public func delay(afterAttempt attempt: Int, retryAfter: Int?, random: Double) -> Double {
        let exponent = Double(min(max(attempt, 1) - 1, 62))
        let ceiling = min(maximumSeconds, initialSeconds * pow2(exponent))
        let jittered = ceiling * min(max(random, 0), 1)
        return max(jittered, Double(retryAfter ?? 0))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var remaining = Int(exponent)
        while remaining > 0 && value < 1e12 {
            value *= 2
            remaining -= 1
        }
        return value
    }
}
