public import SmartCard
import X509

/// The two card operations a kiosk needs, on a `CardChannel`; each is meant to run inside
/// one PC/SC transaction that the caller opens and closes (with a card reset), and none
/// waits for a person. Facts: the My Number Card reference (AIDs, EFs, status words).
///
/// There is deliberately no code path that selects or reads the individual number
/// (Kenhojo EF 0001): no form needs it.
public struct MyNumberCardReader<Transport: CardTransport> {
    /// The channel to the card.
    public let channel: CardChannel<Transport>

    /// Wraps a channel.
    public init(channel: CardChannel<Transport>) {
        self.channel = channel
    }

    static var kenhojoPIN: [UInt8] { [0x00, 0x11] }
    static var basicFourFile: [UInt8] { [0x00, 0x02] }
    static var tokenFile: [UInt8] { [0x00, 0x06] }
    static var authCertificateFile: [UInt8] { [0x00, 0x0A] }
    static var authPIN: [UInt8] { [0x00, 0x18] }

    // MARK: status

    /// Identifies the card by its JPKI token (never by ATR), and reads the PIN tries left
    /// (VERIFY without data spends none) and the authentication certificate's validity.
    public func status() throws -> CardStatus {
        let type = try cardType()
        guard type == .myNumberCard else {
            return CardStatus(type: type, basicInfoTriesLeft: nil, userAuthenticationTriesLeft: nil, authCertificate: nil)
        }
        let userAuthentication = try triesLeft(application: .jpki, pinFile: Self.authPIN)
        let certificate = try authCertificateValidity()
        let basicInfo = try triesLeft(application: .kenhojo, pinFile: Self.kenhojoPIN)
        return CardStatus(
            type: type, basicInfoTriesLeft: basicInfo, userAuthenticationTriesLeft: userAuthentication,
            authCertificate: certificate)
    }

    /// The card type from the JPKI AP's token EF.
    public func cardType() throws -> CardType {
        let selected = try send(select(aid: MyNumberCardApplication.jpki.aid), step: "SELECT JPKI AP", allowing: [.fileNotFound])
        guard selected.status.isSuccess else { return .unknown }
        let file = try send(selectFile(Self.tokenFile), step: "SELECT EF 0006", allowing: [.fileNotFound])
        guard file.status.isSuccess else { return .unknown }
        let token = try readFully(length: 20, step: "READ BINARY EF 0006")
        var end = token.count
        while end > 0, token[end - 1] == 0x20 || token[end - 1] == 0x00 { end -= 1 }
        let text = String(decoding: token[..<end], as: UTF8.self)
        switch text {
        case "JPKIAPICCTOKEN2": return .myNumberCard
        case "JPKIAPICCTOKEN": return .jukiCard
        default: return .unknown
        }
    }

    /// Tries left for a PIN EF, without spending one; 0 when locked.
    func triesLeft(application: MyNumberCardApplication, pinFile: [UInt8]) throws -> Int {
        _ = try send(select(aid: application.aid), step: "SELECT AP")
        _ = try send(selectFile(pinFile), step: "SELECT PIN EF")
        let response = try channel.transmit(try CommandAPDU(ins: 0x20, p1: 0x00, p2: 0x80))
        if let tries = response.status.triesLeft { return tries }
        if response.status.meansBlocked { return 0 }
        throw MyNumberCardError.unexpectedStatus(step: "VERIFY (tries)", status: response.status)
    }

    /// The authentication certificate's validity, read without a PIN; nil when unreadable.
    func authCertificateValidity() throws -> CertificateValidity? {
        _ = try send(select(aid: MyNumberCardApplication.jpki.aid), step: "SELECT JPKI AP")
        let file = try send(selectFile(Self.authCertificateFile), step: "SELECT EF 000A", allowing: [.fileNotFound])
        guard file.status.isSuccess else { return nil }
        let der = try readTLVFile(step: "READ BINARY EF 000A")
        guard let certificate = try? Certificate(derEncoded: der) else {
            throw MyNumberCardError.malformedData(field: "EF 000A", detail: "the certificate is not valid DER X.509")
        }
        return CertificateValidity(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter)
    }

    /// The applications that answer SELECT by DF name with `9000` (no FCI asked, nothing
    /// read), in `MyNumberCardApplication.allCases` order. Any other status word means
    /// absent: another kind of card may answer `6A82`, `6A86` or `6D00`. Only a transport
    /// failure (the card gone) throws.
    public func applicationsPresent() throws -> [MyNumberCardApplication] {
        try MyNumberCardApplication.allCases.filter { application in
            try channel.transmit(select(aid: application.aid)).status.isSuccess
        }
    }

    /// One harmless exchange for timing the link: SELECT of the JPKI AP (P2 = 0C), which
    /// every My Number Card and 住基カード answers; returns whether it was there.
    public func ping() throws -> Bool {
        try send(select(aid: MyNumberCardApplication.jpki.aid), step: "SELECT JPKI AP", allowing: [.fileNotFound]).status.isSuccess
    }

    // MARK: verify and read

    /// Checks the tries, verifies the PIN, reads the basic 4 information and drops the
    /// verified state (re-selecting the AP; the caller also resets the card).
    /// - Parameters:
    ///   - pin: the card-information PIN, or PIN B (which needs `staff`).
    ///   - confirmLastTry: whether the person confirmed spending the last try; without it,
    ///     nothing is sent when one try is left.
    ///   - staff: proof of staff mode, required for PIN B.
    /// - Throws: `MyNumberCardError` (never retries a VERIFY by itself).
    public func verifyAndRead(
        pin: borrowing PIN, confirmLastTry: Bool = false, staff: StaffModeAuthorization? = nil
    ) throws -> ResidentIdentity {
        if pin.kind == .pinB && staff == nil { throw MyNumberCardError.pinBNeedsStaffMode }
        let type = try cardType()
        guard type == .myNumberCard else { throw MyNumberCardError.notMyNumberCard(type) }
        let tries = try triesLeft(application: .kenhojo, pinFile: pin.kind.file)
        if tries == 0 { throw MyNumberCardError.pinLocked }
        if tries == 1 && !confirmLastTry { throw MyNumberCardError.lastTryNeedsConfirmation }

        let verified = try channel.transmit(secret: pin.verifyCommand())
        if verified.status.meansBlocked { throw MyNumberCardError.pinLocked }
        if let left = verified.status.triesLeft { throw MyNumberCardError.wrongPIN(triesLeft: left) }
        guard verified.status.isSuccess else {
            throw MyNumberCardError.unexpectedStatus(step: "VERIFY", status: verified.status)
        }
        defer { _ = try? channel.transmit(select(aid: MyNumberCardApplication.kenhojo.aid)) }  // drop the verified state
        _ = try send(selectFile(Self.basicFourFile), step: "SELECT EF 0002")
        return try BasicFourInfo.decode(try readTLVFile(step: "READ BINARY EF 0002"))
    }

    // MARK: APDUs

    func select(aid: [UInt8]) throws -> CommandAPDU {
        try CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: aid)
    }

    func selectFile(_ fid: [UInt8]) throws -> CommandAPDU {
        try CommandAPDU(ins: 0xA4, p1: 0x02, p2: 0x0C, data: fid)
    }

    /// Sends and insists on `9000` (or one of `allowing`).
    @discardableResult
    /// (An array, not a Set: one or two words, and a `Set<StatusWord>` costs a process that
    /// reads one card a runtime conformance lookup when it is first made.)
    func send(_ command: CommandAPDU, step: String, allowing: [StatusWord] = []) throws -> ResponseAPDU {
        let response = try channel.transmit(command)
        guard response.status.isSuccess || allowing.contains(response.status) else {
            throw MyNumberCardError.unexpectedStatus(step: step, status: response.status)
        }
        return response
    }

    /// `00 B0 P1P2 Le`: READ BINARY at an offset below 0x8000 (P1 bit 8 would mean an SFI).
    func readBinaryCommand(offset: Int, length: Int) throws -> CommandAPDU {
        guard offset <= 0x7FFF else {
            throw MyNumberCardError.malformedData(field: "READ BINARY", detail: "offset \(offset) beyond what READ BINARY can address")
        }
        return try CommandAPDU(ins: 0xB0, p1: UInt8(offset >> 8), p2: UInt8(offset & 0xFF), expectedLength: length)
    }

    /// READ BINARY of up to `length` bytes at `offset`; the card may return fewer.
    func readBinary(offset: Int, length: Int, step: String) throws -> [UInt8] {
        return try send(readBinaryCommand(offset: offset, length: length), step: step).data
    }

    /// Reads `length` bytes from offset 0, continuing after short reads; stops early only
    /// where the file ends (an empty read, or `6B00` for an offset past the end).
    func readFully(length: Int, step: String) throws -> [UInt8] {
        var content: [UInt8] = []
        while content.count < length {
            let command = try readBinaryCommand(offset: content.count, length: length - content.count)
            let response = try send(command, step: step, allowing: [.wrongParameters])
            if response.data.isEmpty { break }
            content += response.data
        }
        return content
    }

    /// Reads a file that holds one TLV element: a short header first to learn its size,
    /// then the rest in chunks of at most 256 bytes, accepting reads shorter than asked.
    func readTLVFile(step: String) throws -> [UInt8] {
        var content = try readBinary(offset: 0, length: 8, step: step)
        var total: Int?
        while total == nil {
            do {
                total = try BERTLV.totalLength(ofElementStartingWith: content)
            } catch {
                throw MyNumberCardError.malformedData(field: step, detail: error.description)
            }
            if total == nil {
                let more = try readBinary(offset: content.count, length: 8, step: step)
                guard !more.isEmpty else {
                    throw MyNumberCardError.malformedData(field: step, detail: "the file ends inside its first TLV header")
                }
                content += more
            }
        }
        guard let total, total <= 0x8000 else {
            throw MyNumberCardError.malformedData(field: step, detail: "the file claims more than 32768 bytes")
        }
        while content.count < total {
            let command = try readBinaryCommand(offset: content.count, length: min(256, total - content.count))
            let response = try send(command, step: step, allowing: [.wrongParameters])
            if response.status == .wrongParameters {
                throw MyNumberCardError.malformedData(
                    field: step, detail: "the file ends at \(content.count) bytes but its TLV says \(total)")
            }
            let chunk = response.data
            guard !chunk.isEmpty else {
                throw MyNumberCardError.malformedData(
                    field: step, detail: "the card returned no data at offset \(content.count) of \(total)")
            }
            content += chunk
        }
        return Array(content.prefix(total))
    }
}
