// Fuzz target: control socket request lines come from any local client allowed on the socket
// (the CLI, a technician's socat, a buggy script).
// sources: Sources/ControlProtocol Sources/KioskMetrics Sources/MadoguchiCore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    switch ControlRequest.parse(bytes) {
    case .success(let request):
        // What the client sends for an accepted request is read back as the same request.
        precondition(ControlRequest.parse(Array(request.encodedLine().dropLast())) == .success(request))
    case .failure(let error):
        // The offset points into the line (or at its end), and the answer is one short line.
        if let offset = error.offset { precondition(offset >= 0 && offset <= max(count, ControlRequest.maximumBytes)) }
        let line = ControlResponse.failure(error.controlError).encodedLine()
        precondition(line.last == 0x0A && !line.dropLast().contains(0x0A))
        precondition(error.message.ja.utf8.count < 1024 && error.message.en.utf8.count < 1024)
    }
    return 0
}
