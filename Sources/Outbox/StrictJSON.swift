public import Foundation
public import MadoguchiCore

/// What Foundation's JSON decoders accept but RFC 8259 does not promise every receiver will:
/// a byte order mark, bytes that are not UTF-8, raw control characters in strings, a comma
/// before `}` or `]`, and a key repeated in one object. A body with any of them could be
/// refused by the back office after the resident left, or read differently by two
/// receivers, so the outbox refuses it at once.
///
/// It runs before the parse, so its precise message wins; on text that is not JSON at all it
/// still ends, and what it reports is then a real flaw at that offset or nothing.
public enum StrictJSON {
    enum Problem: Equatable {
        case byteOrderMark
        /// Bytes that are not UTF-8, at this offset (JSON text is UTF-8; JSONDecoder would
        /// replace them, a receiver refuse them).
        case invalidUTF8(offset: Int)
        /// A control character (U+0000–U+001F) written raw inside a string, at this offset.
        case controlCharacter(offset: Int)
        /// A comma right before a closing bracket, at this byte offset.
        case trailingComma(offset: Int)
        /// A key already used in the same object, starting at this byte offset.
        case duplicateKey(offset: Int)
    }

    /// A key seen in an object: where its text is, and whether it has escapes.
    private struct KeySpan {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    private enum Frame {
        case object(keys: [KeySpan], expectingKey: Bool)
        case array
    }

    /// What is wrong with `data` as strict JSON, with its byte offset, or `nil`. Used for
    /// submission bodies at the kiosk and at the reference receiver alike.
    public static func message(for data: Data) -> BilingualText? {
        switch problem(in: data) {
        case .byteOrderMark:
            return BilingualText(
                ja: "JSONの先頭に BOM があります。BOM なしの UTF-8 にしてください。",
                en: "The JSON starts with a byte order mark. Write UTF-8 without one.")
        case .invalidUTF8(let offset):
            return BilingualText(
                ja: "JSON の \(offset) バイト目が UTF-8 ではありません。",
                en: "The JSON is not UTF-8 at byte \(offset).")
        case .controlCharacter(let offset):
            return BilingualText(
                ja: "JSON の \(offset) バイト目の文字列に制御文字がそのまま入っています(\\n などでエスケープしてください)。",
                en: "The JSON has a raw control character in a string at byte \(offset) (escape it, e.g. \\n).")
        case .trailingComma(let offset):
            return BilingualText(
                ja: "JSON の \(offset) バイト目に余分なカンマがあります(} や ] の直前)。",
                en: "The JSON has a trailing comma at byte \(offset) (right before } or ]).")
        case .duplicateKey(let offset):
            return BilingualText(
                ja: "JSON の \(offset) バイト目のキーは同じオブジェクト内で重複しています。",
                en: "The key at byte \(offset) of the JSON repeats a key of the same object.")
        case nil:
            return nil
        }
    }

    static func problem(in data: some ContiguousBytes) -> Problem? {
        data.withUnsafeBytes { buffer in problem(in: buffer.bindMemory(to: UInt8.self)) }
    }

    private static func problem(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return .byteOrderMark }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        scan: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return .invalidUTF8(offset: offset)
            case .emptyInput: break scan
            }
        }
        var stack: [Frame] = []
        var lastComma: Int?  // the offset of a comma not yet followed by a value
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object(keys: [], expectingKey: true))
                lastComma = nil
            case UInt8(ascii: "["):
                stack.append(.array)
                lastComma = nil
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let lastComma { return .trailingComma(offset: lastComma) }
                _ = stack.popLast()
            case UInt8(ascii: ","):
                lastComma = index
                if case .object(let keys, _) = stack.last { stack[stack.count - 1] = .object(keys: keys, expectingKey: true) }
            case UInt8(ascii: ":"):
                if case .object(let keys, _) = stack.last { stack[stack.count - 1] = .object(keys: keys, expectingKey: false) }
            case UInt8(ascii: "\""):
                let start = index
                var escaped = false
                index += 1
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "\\") { escaped = true; index += 2; continue }
                    if bytes[index] == UInt8(ascii: "\"") { break }
                    if bytes[index] < 0x20 { return .controlCharacter(offset: index) }
                    index += 1
                }
                lastComma = nil
                if case .object(var keys, true) = stack.last {
                    let key = KeySpan(start: start + 1, end: min(index, bytes.count), escaped: escaped)
                    if keys.contains(where: { same($0, key, in: bytes) }) { return .duplicateKey(offset: start) }
                    keys.append(key)
                    stack[stack.count - 1] = .object(keys: keys, expectingKey: false)
                }
            case 0x20, 0x0A, 0x0D, 0x09:
                break
            default:
                lastComma = nil
            }
            index += 1
        }
        return nil
    }

    private static func same(_ a: KeySpan, _ b: KeySpan, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if !a.escaped && !b.escaped {
            return a.end - a.start == b.end - b.start && bytes[a.start..<a.end].elementsEqual(bytes[b.start..<b.end])
        }
        return unescaped(Array(bytes[a.start..<a.end])) == unescaped(Array(bytes[b.start..<b.end]))
    }

    /// A key's text with its escapes resolved (`\u0061` and `a` are the same key), as UTF-8.
    private static func unescaped(_ raw: [UInt8]) -> [UInt8] {
        var units: [UInt16] = []
        var index = 0
        func hex(_ at: Int) -> UInt16? {
            guard at + 4 <= raw.count else { return nil }
            return UInt16(String(decoding: raw[at..<(at + 4)], as: UTF8.self), radix: 16)
        }
        var plain: [UInt8] = []
        func flushPlain() {
            units.append(contentsOf: String(decoding: plain, as: UTF8.self).utf16)
            plain.removeAll()
        }
        while index < raw.count {
            guard raw[index] == UInt8(ascii: "\\"), index + 1 < raw.count else {
                plain.append(raw[index])
                index += 1
                continue
            }
            flushPlain()
            let next = raw[index + 1]
            switch next {
            case UInt8(ascii: "u"):
                units.append(hex(index + 2) ?? 0xFFFD)
                index += 6
                continue
            case UInt8(ascii: "n"): units.append(0x0A)
            case UInt8(ascii: "t"): units.append(0x09)
            case UInt8(ascii: "r"): units.append(0x0D)
            case UInt8(ascii: "b"): units.append(0x08)
            case UInt8(ascii: "f"): units.append(0x0C)
            default: units.append(UInt16(next))  // \" \\ \/
            }
            index += 2
        }
        flushPlain()
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
