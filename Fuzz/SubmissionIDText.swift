// Fuzz target: submission ids arrive as text from outside (HTTP bodies, QR codes, the CLI).
// sources: Sources/Outbox Sources/MadoguchiCore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let id = SubmissionID(text) {
        // A parsed id must print as a UUID and parse back to itself.
        precondition(SubmissionID(id.description) == id)
    }
    return 0
}
