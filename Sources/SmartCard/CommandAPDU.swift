/// An ISO/IEC 7816-4 command APDU: header, optional data (Lc) and optional expected
/// length (Le), encoded short when it fits and extended otherwise.
public struct CommandAPDU: Sendable, Hashable {
    /// Class byte.
    public var cla: UInt8
    /// Instruction byte.
    public var ins: UInt8
    /// First parameter.
    public var p1: UInt8
    /// Second parameter.
    public var p2: UInt8
    /// Command data (Nc bytes), possibly empty.
    public var data: [UInt8]
    /// Expected response length Ne (1…65 536), or nil when no data is expected.
    public var expectedLength: Int?

    /// Creates a command after checking the lengths.
    /// - Throws: `APDUError.dataTooLong` or `.invalidExpectedLength`.
    public init(
        cla: UInt8 = 0x00, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], expectedLength: Int? = nil
    ) throws(APDUError) {
        guard data.count <= 65_535 else { throw .dataTooLong(count: data.count) }
        if let le = expectedLength, !(1...65_536).contains(le) { throw .invalidExpectedLength(le) }
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.expectedLength = expectedLength
    }

    /// Whether the encoding needs the extended form (data over 255 bytes or Ne over 256).
    public var isExtended: Bool { data.count > 255 || (expectedLength ?? 0) > 256 }

    /// The encoded bytes (ISO 7816-4 §5.1, cases 1, 2S/E, 3S/E, 4S/E).
    public var bytes: [UInt8] {
        var out: [UInt8] = [cla, ins, p1, p2]
        if !isExtended {
            if !data.isEmpty { out.append(UInt8(data.count)); out += data }
            if let le = expectedLength { out.append(le == 256 ? 0 : UInt8(le)) }
            return out
        }
        out.append(0)
        if !data.isEmpty { out += [UInt8(data.count >> 8), UInt8(data.count & 0xFF)]; out += data }
        if let le = expectedLength {
            let value = le == 65_536 ? 0 : le
            out += [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
        return out
    }

    /// Decodes encoded bytes, the inverse of `bytes`.
    /// - Throws: `APDUError` naming the offset of the inconsistent length.
    public init(decoding bytes: [UInt8]) throws(APDUError) {
        guard bytes.count >= 4 else { throw .commandTooShort(count: bytes.count) }
        let body = Array(bytes[4...])
        var data: [UInt8] = []
        var le: Int?
        switch body.count {
        case 0: break  // case 1
        case 1: le = body[0] == 0 ? 256 : Int(body[0])  // case 2S
        default:
            if body[0] != 0 {  // short: 3S or 4S
                let lc = Int(body[0])
                switch body.count {
                case 1 + lc: data = Array(body[1...])
                case 2 + lc:
                    data = Array(body[1..<(1 + lc)])
                    le = body[1 + lc] == 0 ? 256 : Int(body[1 + lc])
                default: throw .inconsistentLength(offset: 4)
                }
            } else if body.count < 3 {
                throw .inconsistentLength(offset: 4)
            } else if body.count == 3 {  // case 2E
                let value = Int(body[1]) << 8 | Int(body[2])
                le = value == 0 ? 65_536 : value
            } else {  // 3E or 4E
                let lc = Int(body[1]) << 8 | Int(body[2])
                guard lc > 0 else { throw .inconsistentLength(offset: 5) }
                switch body.count {
                case 3 + lc: data = Array(body[3...])
                case 5 + lc:
                    data = Array(body[3..<(3 + lc)])
                    let value = Int(body[3 + lc]) << 8 | Int(body[4 + lc])
                    le = value == 0 ? 65_536 : value
                default: throw .inconsistentLength(offset: 5)
                }
            }
        }
        try self.init(cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3], data: data, expectedLength: le)
    }
}
