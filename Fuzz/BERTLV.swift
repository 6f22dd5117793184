// Fuzz target: BER-TLV from a card is data from outside. Parsing must end in a value or a
// TLVError, never a trap, and nested parsing must stay inside the outer element.
// sources: Sources/SmartCard
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    if let elements = try? BERTLV.parseAll(bytes) {
        for element in elements {
            precondition(element.end <= bytes.count && element.offset < element.end)
            if element.isConstructed, let children = try? element.children() {
                precondition(children.allSatisfy { $0.offset >= element.offset && $0.end <= element.end })
            }
        }
    }
    _ = try? BERTLV.totalLength(ofElementStartingWith: bytes)
    return 0
}
