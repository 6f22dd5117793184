// Fuzz target: Retry-After headers and problem types come from the back office, which the
// kiosk does not control.
// sources: Sources/Outbox Sources/MadoguchiCore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let seconds = RetryAfter.seconds(text) {
        precondition((0...RetryAfter.maximumSeconds).contains(seconds))
    }
    let status = count > 0 ? Int(start[0]) + 300 : 500
    switch DeliveryPolicy.decision(status: status, retryAfter: text) {
    case .retry(let after?): precondition((0...RetryAfter.maximumSeconds).contains(after))
    default: break
    }
    // The reason never carries more than the status, a fixed phrase and a plain slug.
    let reason = DeliveryPolicy.reason(status: status, problemType: text)
    precondition(reason.utf8.count < 120 && !reason.contains("\n"))
    let delay = Backoff(initialSeconds: Double(count % 7), maximumSeconds: 900).delay(
        afterAttempt: count * 1000, retryAfter: RetryAfter.seconds(text), random: Double(count % 10) / 10)
    precondition(delay >= 0 && delay <= Double(RetryAfter.maximumSeconds))
    return 0
}
