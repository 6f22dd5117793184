import MyNumberCard
import MadoguchiCore
import SmartCard
import Testing

/// Builds EF 0002 the way a card does, with knobs for order and length forms.
enum BasicFourFile {
    static func make(
        name: String = "見本 花子", address: String = "東京都千代田区霞が関一丁目1番1号", birth: String = "19800401",
        sex: String = "2", order: [Int] = [0, 1, 2, 3], forceLongLengths: Bool = false
    ) -> [UInt8] {
        func tlv(_ tag: UInt32, _ value: [UInt8]) -> [UInt8] {
            guard forceLongLengths else { return BERTLV.encode(tag: tag, value: value) }
            return [UInt8(tag >> 8), UInt8(tag & 0xFF), 0x82, UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        }
        let fields = [
            tlv(0xDF22, Array(name.utf8)), tlv(0xDF23, Array(address.utf8)), tlv(0xDF24, Array(birth.utf8)),
            tlv(0xDF25, Array(sex.utf8)),
        ]
        let tableLength = forceLongLengths ? 13 : 11
        let bodyLength = tableLength + fields.reduce(0) { $0 + $1.count }
        let header = forceLongLengths ? 5 : BERTLV.encode(tag: 0xFF20, value: [UInt8](repeating: 0, count: bodyLength)).count - bodyLength
        var offsets = [Int](repeating: 0, count: 4)
        var position = header + tableLength
        for index in order {
            offsets[index] = position
            position += fields[index].count
        }
        let table = tlv(0xDF21, offsets.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        let body = table + order.flatMap { fields[$0] }
        return forceLongLengths ? [0xFF, 0x20, 0x82, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
            : BERTLV.encode(tag: 0xFF20, value: body)
    }
}

@Suite("My Number Card data")
struct MyNumberCardTests {
    @Test func basicFourInformationDecodesByTheOffsetTable() throws {
        let identity = try BasicFourInfo.decode(BasicFourFile.make())
        #expect(identity.name == "見本 花子")
        #expect(identity.address == "東京都千代田区霞が関一丁目1番1号")
        #expect(identity.birth == "19800401" && identity.birthDate == "1980-04-01")
        #expect(identity.birthWareki == "昭和55年4月1日")
        #expect(identity.sex.code == "2" && identity.sex.meaning.en == "female")
    }

    @Test func fieldOrderAndLongLengthFormsDoNotChangeTheResult() throws {
        let plain = try BasicFourInfo.decode(BasicFourFile.make())
        #expect(try BasicFourInfo.decode(BasicFourFile.make(order: [3, 2, 1, 0])) == plain)
        #expect(try BasicFourInfo.decode(BasicFourFile.make(forceLongLengths: true)) == plain)
        let longAddress = String(repeating: "霞が関", count: 60)
        #expect(try BasicFourInfo.decode(BasicFourFile.make(address: longAddress)).address == longAddress)
    }

    @Test func namesKeepNonBMPKanjiAndVariationSequencesCodePointForCodePoint() throws {
        let name = "𠮷田 葛\u{E0100}子"
        let identity = try BasicFourInfo.decode(BasicFourFile.make(name: name))
        #expect(Array(identity.name.unicodeScalars) == Array(name.unicodeScalars))
    }

    @Test(arguments: [
        ("truncated", Array(BasicFourFile.make().dropLast(3)), "FF20"),
        ("not FF20", [0xFF, 0x21, 0x00], "FF20"),
        ("bad birth", BasicFourFile.make(birth: "1980041A"), "DF24"),
        ("impossible date", BasicFourFile.make(birth: "19800230"), "DF24"),
        ("bad sex", BasicFourFile.make(sex: "3"), "DF25"),
        ("bad UTF-8", BasicFourFile.make(name: "\u{FFFD}").map { $0 == 0xEF ? 0xFF : $0 }, "DF22"),
    ] as [(String, [UInt8], String)])
    func malformedFilesAreErrorsNamingTheFieldNotItsValue(_ label: String, _ file: [UInt8], _ field: String) {
        #expect(performing: { try BasicFourInfo.decode(file) }, throws: { error in
            guard case MyNumberCardError.malformedData(let named, _) = error else { return false }
            return named == field && !"\(error)".contains("1980041A")
        })
    }

    @Test func offsetsOutsideTheContainerAreRejected() {
        var file = BasicFourFile.make()
        file[6] = 0x7F  // DF21's first offset, high byte
        #expect(throws: MyNumberCardError.self) { try BasicFourInfo.decode(file) }
    }

    @Test(arguments: [
        ((1980, 4, 1), "昭和55年4月1日"), ((1989, 1, 7), "昭和64年1月7日"), ((1989, 1, 8), "平成元年1月8日"),
        ((2019, 4, 30), "平成31年4月30日"), ((2019, 5, 1), "令和元年5月1日"), ((2026, 1, 5), "令和8年1月5日"),
        ((1926, 12, 25), "昭和元年12月25日"), ((1912, 7, 30), "大正元年7月30日"), ((1900, 1, 1), "明治33年1月1日"),
    ] as [((Int, Int, Int), String)])
    func warekiUsesTheEraOfTheDayWithGannenForYearOne(_ date: (Int, Int, Int), _ expected: String) {
        #expect(WarekiDate(gregorianYear: date.0, month: date.1, day: date.2)?.text == expected)
    }

    @Test func aPINIsExactlyFourASCIIDigitsAndPINBFourteen() throws {
        _ = try PIN(asciiDigits: Array("1234".utf8))
        _ = try PIN(asciiDigits: Array("80040120345678".utf8), kind: .pinB)
        for bad in ["123", "12345", "12a4", "１２３４", ""] {
            #expect(throws: PINError.wrongLength(expected: 4)) { _ = try PIN(asciiDigits: Array(bad.utf8)) }
        }
        #expect(throws: PINError.wrongLength(expected: 14)) { _ = try PIN(asciiDigits: Array("1234".utf8), kind: .pinB) }
        let pin = try PIN(asciiDigits: Array("0000".utf8))
        #expect(pin.withDigits { $0 } == [0x30, 0x30, 0x30, 0x30])
    }

    @Test func aPINIsReadFromALineOfBytesWithoutItsNewline() throws {
        var input = Array("1234\r\nrest".utf8)[...]
        let pin = try PIN(readingLineFrom: { input.popFirst() })
        #expect(pin.withDigits { $0 } == Array("1234".utf8))
        #expect(Array(input) == Array("rest".utf8))
    }

    @Test func pinBIsOnlyForStaffMode() {
        #expect(StaffModeAuthorization(mode: .staff) != nil)
        #expect(StaffModeAuthorization(mode: .resident) == nil)
        #expect(StaffModeAuthorization(mode: .vehicle) == nil)
    }
}
