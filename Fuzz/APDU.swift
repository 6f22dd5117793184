// Fuzz target: command and response APDUs decoded from raw bytes never trap, and a decoded
// command encodes back to the same bytes.
// sources: Sources/SmartCard
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    if let command = try? CommandAPDU(decoding: bytes) {
        precondition((try? CommandAPDU(decoding: command.bytes)) == command)
    }
    if let response = try? ResponseAPDU(bytes: bytes) {
        precondition(response.bytes == bytes)
        _ = response.status.description
    }
    return 0
}
