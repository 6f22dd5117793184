import MadoguchiCore
import SmartCard

/// Decodes EF 0002 of the card-information AP (券面事項入力補助AP):
/// `FF20 { DF21 <four 2-byte offsets> DF22 name DF23 address DF24 birth DF25 sex }`.
///
/// Decoded by the `DF21` offsets and the tags found there, never by fixed positions, and
/// every length is checked against the buffer: a malformed file is an error, not a crash.
public enum BasicFourInfo {
    static let container: UInt32 = 0xFF20
    static let offsets: UInt32 = 0xDF21
    static let fieldTags: [UInt32] = [0xDF22, 0xDF23, 0xDF24, 0xDF25]

    /// Decodes the whole file.
    /// - Throws: `MyNumberCardError.malformedData` naming the field, never its value.
    public static func decode(_ file: [UInt8]) throws(MyNumberCardError) -> ResidentIdentity {
        let outer: BERTLV
        do {
            outer = try BERTLV.parse(file)
        } catch {
            throw .malformedData(field: "FF20", detail: error.description)
        }
        guard outer.tag == container else {
            throw .malformedData(field: "FF20", detail: "the file starts with tag \(String(outer.tag, radix: 16, uppercase: true))")
        }
        let valueStart = outer.end - outer.value.count
        let children: [BERTLV]
        do {
            children = try outer.children()
        } catch {
            throw .malformedData(field: "FF20", detail: error.description)
        }
        guard let table = children.first(where: { $0.tag == offsets }), table.value.count == 8 else {
            throw .malformedData(field: "DF21", detail: "the offset table is missing or not 8 bytes")
        }
        var values: [[UInt8]] = []
        for (index, tag) in fieldTags.enumerated() {
            let offset = Int(table.value[2 * index]) << 8 | Int(table.value[2 * index + 1])
            let name = String(tag, radix: 16, uppercase: true)
            guard offset >= valueStart, offset < outer.end else {
                throw .malformedData(field: name, detail: "its offset \(offset) is outside FF20 (\(valueStart)..<\(outer.end))")
            }
            let element: BERTLV
            do {
                element = try BERTLV.parse(Array(file[..<outer.end]), at: offset)
            } catch {
                throw .malformedData(field: name, detail: error.description)
            }
            guard element.tag == tag else {
                throw .malformedData(field: name, detail: "the offset points at tag \(String(element.tag, radix: 16, uppercase: true))")
            }
            values.append(element.value)
        }
        guard let name = String(validating: values[0], as: UTF8.self), !name.isEmpty else {
            throw .malformedData(field: "DF22", detail: "the name is empty or not UTF-8")
        }
        guard let address = String(validating: values[1], as: UTF8.self), !address.isEmpty else {
            throw .malformedData(field: "DF23", detail: "the address is empty or not UTF-8")
        }
        let birthBytes = values[2]
        guard birthBytes.count == 8, birthBytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .malformedData(field: "DF24", detail: "the birth date is not 8 digits")
        }
        let birth = String(decoding: birthBytes, as: UTF8.self)
        let digits = birthBytes.map { Int($0 - 0x30) }
        let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        guard let wareki = WarekiDate(gregorianYear: year, month: month, day: day) else {
            throw .malformedData(field: "DF24", detail: "the birth date is not a real date from 1868 on")
        }
        guard let sex = ResidentIdentity.Sex(code: String(decoding: values[3], as: UTF8.self)) else {
            throw .malformedData(field: "DF25", detail: "the sex code is not 1, 2 or 9")
        }
        return ResidentIdentity(
            name: name, address: address, birth: birth,
            birthDate: "\(birth.prefix(4))-\(birth.dropFirst(4).prefix(2))-\(birth.suffix(2))",
            birthWareki: wareki.text, sex: sex)
    }
}
