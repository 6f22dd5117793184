// Fuzz target: EF 0002 of a (possibly hostile or broken) card decodes to an identity or a
// MyNumberCardError, never a trap; a decoded identity always fits the contract's shape.
// sources: Sources/SmartCard Sources/MadoguchiCore Sources/MyNumberCard/BasicFourInfo.swift Sources/MyNumberCard/ResidentIdentity.swift Sources/MyNumberCard/MyNumberCardError.swift Sources/MyNumberCard/CardStatus.swift
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    if let identity = try? BasicFourInfo.decode(bytes) {
        precondition(identity.birth.count == 8 && ["1", "2", "9"].contains(identity.sex.code))
        precondition(!identity.name.isEmpty && !identity.address.isEmpty)
    }
    return 0
}
