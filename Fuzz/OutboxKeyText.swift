// Fuzz target: the outbox key arrives as a file or a systemd credential written by hand or
// by tools outside Madoguchi (install scripts, systemd-creds).
// sources: Sources/Outbox Sources/MadoguchiCore
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    if let key = OutboxKeyText.decode(data) {
        // A key is exactly 32 bytes from a short file, and its own file text gives it back.
        precondition(key.count == OutboxKeyText.keyBytes && data.count <= OutboxKeyText.maximumFileBytes)
        precondition(OutboxKeyText.decode(Data(OutboxKeyText.encode(key).utf8)) == key)
    }
    return 0
}
