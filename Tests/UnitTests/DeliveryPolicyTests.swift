import Outbox
import Testing

/// What the sync worker does with each answer of the back office (openapi.yaml "Client rules").
@Suite struct DeliveryPolicyTests {
    @Test func eachStatusOfTheContractGetsItsDecision() {
        for status in [200, 201] { #expect(DeliveryPolicy.decision(status: status) == .acknowledge) }
        for status in [400, 409, 413, 422] { #expect(DeliveryPolicy.decision(status: status) == .deadLetter) }
        for status in [401, 403] { #expect(DeliveryPolicy.decision(status: status) == .pause) }
        for status in [408, 429, 500, 502, 503, 504] {
            #expect(DeliveryPolicy.decision(status: status) == .retry(retryAfter: nil))
        }
        #expect(DeliveryPolicy.decision(status: 503, retryAfter: "120") == .retry(retryAfter: 120))
    }

    @Test func aWrongURLPausesInsteadOfDeadLetteringEverySubmission() {
        for status in [301, 302, 307, 404, 405] { #expect(DeliveryPolicy.decision(status: status) == .pause) }
        #expect(DeliveryPolicy.reason(status: 404) == "404 wrong back-office URL")
        // An unknown client error is retried: nothing is lost, the back-off caps the load.
        #expect(DeliveryPolicy.decision(status: 418) == .retry(retryAfter: nil))
    }

    @Test func theReasonKeepsOnlyTheStatusAndAPlainProblemType() {
        #expect(DeliveryPolicy.reason(status: 422, problemType: "https://madoguchi.example/problems/schema")
            == "422 refused by the receiver's checks (schema)")
        #expect(DeliveryPolicy.reason(status: 400, problemType: "https://x.example/problems/見本 花子") == "400 malformed request")
        #expect(DeliveryPolicy.reason(status: 503, problemType: nil) == "503 receiver trouble")
    }

    @Test func retryAfterIsDeltaSecondsOnlyAndCappedAtADay() {
        #expect(RetryAfter.seconds("0") == 0)
        #expect(RetryAfter.seconds(" 30 ") == 30)
        #expect(RetryAfter.seconds("999999999") == RetryAfter.maximumSeconds)
        for garbage in ["", " ", "-1", "1.5", "30s", "Wed, 21 Oct 2026 07:28:00 GMT", "1234567890", "３０"] {
            #expect(RetryAfter.seconds(garbage) == nil, "accepted \(garbage)")
        }
    }

    @Test func backoffGrowsExponentiallyWithFullJitterUpToItsCapAndRetryAfterWins() {
        let backoff = Backoff(initialSeconds: 5, maximumSeconds: 900)
        #expect(backoff.delay(afterAttempt: 1, retryAfter: nil, random: 0.999_999) < 5.0001)
        #expect(backoff.delay(afterAttempt: 3, retryAfter: nil, random: 1) == 20)
        #expect(backoff.delay(afterAttempt: 3, retryAfter: nil, random: 0.5) == 10)
        #expect(backoff.delay(afterAttempt: 40, retryAfter: nil, random: 1) == 900)
        #expect(backoff.delay(afterAttempt: 1_000_000, retryAfter: nil, random: 1) == 900)
        #expect(backoff.delay(afterAttempt: 1, retryAfter: 600, random: 0.1) == 600)
        #expect(backoff.delay(afterAttempt: 0, retryAfter: nil, random: -3) == 0)
    }
}
