import SmartCard
import Testing
import TestSupport

/// A small deterministic generator (SplitMix64) so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Smart card: APDUs, status words, BER-TLV, channel")
struct SmartCardTests {
    @Test func shortCommandsEncodeLcDataAndLe() throws {
        let select = try CommandAPDU(ins: 0xA4, p1: 0x04, p2: 0x0C, data: [0xD3, 0x92])
        #expect(select.bytes == [0x00, 0xA4, 0x04, 0x0C, 0x02, 0xD3, 0x92])
        #expect(try CommandAPDU(ins: 0x20, p1: 0, p2: 0x80).bytes == [0x00, 0x20, 0x00, 0x80])
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 256).bytes == [0x00, 0xB0, 0x00, 0x00, 0x00])
        #expect(try CommandAPDU(ins: 0xB0, p1: 1, p2: 2, data: [9], expectedLength: 7).bytes == [0, 0xB0, 1, 2, 1, 9, 7])
    }

    @Test func extendedCommandsEncodeWhenDataOrLeDoNotFitShortForm() throws {
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 257).bytes == [0, 0xB0, 0, 0, 0, 0x01, 0x01])
        #expect(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 65_536).bytes == [0, 0xB0, 0, 0, 0, 0, 0])
        let data = [UInt8](repeating: 0xAB, count: 300)
        let bytes = try CommandAPDU(ins: 0xD6, p1: 0, p2: 0, data: data, expectedLength: 2).bytes
        #expect(Array(bytes.prefix(7)) == [0, 0xD6, 0, 0, 0, 0x01, 0x2C])
        #expect(Array(bytes.suffix(2)) == [0x00, 0x02])
    }

    @Test func commandLengthsOutsideISO7816AreRejected() {
        #expect(throws: APDUError.invalidExpectedLength(0)) { try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 0) }
        #expect(throws: APDUError.invalidExpectedLength(65_537)) {
            try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 65_537)
        }
        #expect(throws: APDUError.dataTooLong(count: 65_536)) {
            try CommandAPDU(ins: 0xD6, p1: 0, p2: 0, data: [UInt8](repeating: 0, count: 65_536))
        }
    }

    @Test(arguments: [[0x00, 0xA4], [0x00, 0xA4, 0x04, 0x0C, 0x05, 0x01], [0, 0xB0, 0, 0, 0, 0x01], [0, 0xB0, 0, 0, 0, 0, 2, 1]])
    func malformedCommandBytesAreRejectedNotTrapped(_ bytes: [UInt8]) {
        #expect(throws: APDUError.self) { try CommandAPDU(decoding: bytes) }
    }

    @Test func everyCommandDecodesBackToItself() throws {
        var random = SeededGenerator(state: 42)
        for _ in 0..<2_000 {
            let dataCount = [0, 1, 255, 256, Int.random(in: 0...600, using: &random)].randomElement(using: &random)!
            let le: Int? = [nil, 1, 256, 257, 65_536, Int.random(in: 1...65_536, using: &random)].randomElement(using: &random)!
            let data = (0..<dataCount).map { _ in UInt8.random(in: 0...255, using: &random) }
            let command = try CommandAPDU(
                cla: .random(in: 0...255, using: &random), ins: .random(in: 0...255, using: &random),
                p1: .random(in: 0...255, using: &random), p2: .random(in: 0...255, using: &random), data: data,
                expectedLength: le)
            #expect(try CommandAPDU(decoding: command.bytes) == command)
        }
    }

    @Test func responsesSplitDataFromTheStatusWord() throws {
        let response = try ResponseAPDU(bytes: [0xCA, 0xFE, 0x90, 0x00])
        #expect(response.data == [0xCA, 0xFE])
        #expect(response.status.isSuccess)
        #expect(throws: APDUError.responseTooShort(count: 1)) { try ResponseAPDU(bytes: [0x90]) }
    }

    @Test func statusWordsSayTriesLeftAndWhenAPINIsBlocked() {
        #expect(StatusWord(rawValue: 0x63C2).triesLeft == 2)
        #expect(StatusWord(rawValue: 0x63C0).meansBlocked)
        #expect(StatusWord.authenticationMethodBlocked.meansBlocked)
        #expect(StatusWord.referenceDataNotUsable.meansBlocked)
        #expect(!StatusWord(rawValue: 0x63C1).meansBlocked)
        #expect(StatusWord(rawValue: 0x6110).bytesRemaining == 16)
        #expect(StatusWord(rawValue: 0x6C00).correctLength == 256)
        #expect(StatusWord.fileNotFound.description == "6A82 (file or application not found)")
        #expect(StatusWord(rawValue: 0x6282).description == "6282 (unknown status)")
    }

    @Test func tlvReadsMultiByteTagsLongLengthsAndNesting() throws {
        let inner = BERTLV.encode(tag: 0xDF22, value: Array("見本".utf8))
        let long = BERTLV.encode(tag: 0xDF23, value: [UInt8](repeating: 0x41, count: 200))
        let outer = BERTLV.encode(tag: 0xFF20, value: inner + long)
        #expect(Array(outer.prefix(4)) == [0xFF, 0x20, 0x81, UInt8(inner.count + long.count)])
        let element = try BERTLV.parse(outer)
        #expect(element.tag == 0xFF20 && element.isConstructed)
        let children = try element.children()
        #expect(children.map(\.tag) == [0xDF22, 0xDF23])
        #expect(children[0].offset == 4)
        #expect(children[1].value.count == 200)
        #expect(Array(long.prefix(4)) == [0xDF, 0x23, 0x81, 200])
        #expect(try BERTLV.parse([0x30, 0x82, 0x01, 0x00] + [UInt8](repeating: 0, count: 256)).value.count == 256)
    }

    @Test func tlvErrorsNameTheOffsetAndNeverTrap() {
        #expect(throws: TLVError.truncated(part: .tag, offset: 1)) { try BERTLV.parse([0xDF]) }
        #expect(throws: TLVError.truncated(part: .length, offset: 2)) { try BERTLV.parse([0xDF, 0x22]) }
        #expect(throws: TLVError.unsupportedLength(byte: 0x80, offset: 2)) { try BERTLV.parse([0xFF, 0x20, 0x80, 0x00]) }
        #expect(throws: TLVError.valueOverrunsBuffer(tag: 0xDF22, length: 5, available: 2, offset: 2)) {
            try BERTLV.parse([0xDF, 0x22, 0x05, 0x41, 0x42])
        }
        #expect(throws: TLVError.tagTooLong(offset: 0)) { try BERTLV.parse([0x1F, 0x81, 0x82, 0x83, 0x84, 0x01, 0x00]) }
        // A nested error is reported at its offset in the outer buffer.
        #expect(throws: TLVError.truncated(part: .length, offset: 5)) { try BERTLV.parse([0xFF, 0x20, 0x02, 0xDF, 0x22]).children() }
    }

    @Test func everyEncodedTLVParsesBack() throws {
        var random = SeededGenerator(state: 7)
        for _ in 0..<2_000 {
            let tag: UInt32 = [0x30, 0x5F4E, 0xDF22, 0xFF20, 0x7F21, 0x9F8101].randomElement(using: &random)!
            let count = [0, 1, 127, 128, 255, 256, Int.random(in: 0...70_000, using: &random)].randomElement(using: &random)!
            // The lengths and tags are what is tested; the bytes come from a cheap sequence
            // (a byte-by-byte generator held a test thread for 20 s in debug builds).
            let seed = UInt32.random(in: 0...UInt32.max, using: &random)
            let value = (0..<count).map { UInt8(truncatingIfNeeded: (UInt32($0) &* 2_654_435_761) ^ seed >> ($0 % 24)) }
            let encoded = BERTLV.encode(tag: tag, value: value)
            let parsed = try BERTLV.parse(encoded)
            #expect(parsed.tag == tag && parsed.value == value && parsed.end == encoded.count)
            #expect(try BERTLV.totalLength(ofElementStartingWith: Array(encoded.prefix(8))) == encoded.count)
        }
    }

    @Test func totalLengthNeedsTheWholeHeaderAndSaysSoWithNil() throws {
        #expect(try BERTLV.totalLength(ofElementStartingWith: [0xFF, 0x20, 0x82, 0x01]) == nil)
        #expect(try BERTLV.totalLength(ofElementStartingWith: [0xFF, 0x20, 0x82, 0x01, 0x00]) == 261)
        #expect(try BERTLV.totalLength(ofElementStartingWith: [0xFF]) == nil)
    }

    @Test func channelFetchesTheRestWithGetResponseOn61xx() throws {
        let transport = ScriptedTransport(replies: [[0x01, 0x02, 0x61, 0x03], [0x03, 0x04, 0x05, 0x61, 0x01], [0x06, 0x90, 0x00]])
        let response = try CardChannel(transport).transmit(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 256))
        #expect(response.data == [1, 2, 3, 4, 5, 6])
        #expect(response.status.isSuccess)
        #expect(transport.sent.dropFirst() == [[0x00, 0xC0, 0x00, 0x00, 0x03], [0x00, 0xC0, 0x00, 0x00, 0x01]])
    }

    @Test func channelResendsWithTheCorrectLengthOn6Cxx() throws {
        let transport = ScriptedTransport(replies: [[0x6C, 0x04], [0xAA, 0xBB, 0xCC, 0xDD, 0x90, 0x00]])
        let response = try CardChannel(transport).transmit(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 256))
        #expect(response.data == [0xAA, 0xBB, 0xCC, 0xDD])
        #expect(transport.sent == [[0x00, 0xB0, 0x00, 0x00, 0x00], [0x00, 0xB0, 0x00, 0x00, 0x04]])
    }

    @Test func channelGivesUpOnACardThatNeverStopsAskingForGetResponse() {
        let transport = ScriptedTransport(replies: Array(repeating: [0x61, 0x01], count: 100))
        #expect(throws: CardChannelError.self) {
            try CardChannel(transport).transmit(try CommandAPDU(ins: 0xB0, p1: 0, p2: 0, expectedLength: 1))
        }
    }
}
