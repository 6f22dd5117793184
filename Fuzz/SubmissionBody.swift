// Fuzz target: submission bodies reach the outbox from the session and, when staff resolve
// a dead letter, from files; `validate` must refuse garbage and `withPrint` must keep a
// validated body valid JSON with its print result as the last member.
// sources: Sources/Outbox Sources/MadoguchiCore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    // The id the body must carry: the one the seeds use, so the fuzzer can reach success.
    let id = SubmissionID("7d0f3c2e-5b1a-4c6d-8e9f-0a1b2c3d4e5f")!
    guard case .success = SubmissionBody.validate(data, id: id) else { return 0 }
    let record = PrintRecord(outcome: .failed, sheets: 0, reasons: ["printer-offline"], residentConfirmed: false)
    let sent = SubmissionBody.withPrint(data, record)
    guard let object = (try? JSONSerialization.jsonObject(with: sent)) as? [String: Any],
        let original = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { preconditionFailure("withPrint broke a valid body") }
    precondition(object["print"] != nil && object.count == original.count + 1)
    precondition(SubmissionBody.withPrint(data, record) == sent)
    return 0
}
