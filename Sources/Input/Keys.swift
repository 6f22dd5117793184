/// What a key means on a kiosk screen: digits for pads and numbered choices, Enter for the
/// main button, Backspace to correct, Esc to cancel, F1–F5 for the chrome, F12 for staff.
public enum KeyMeaning: Sendable, Hashable {
    case digit(Int)
    case enter, backspace, escape, up, down, left, right
    case function(Int)
}

extension KeyMeaning {
    /// Linux key codes (linux/input-event-codes.h) as kiosk keys; nil for the rest.
    public init?(linuxKey code: UInt16) {
        switch code {
        case 2...10: self = .digit(Int(code) - 1)  // KEY_1…KEY_9
        case 11: self = .digit(0)
        case 79, 80, 81: self = .digit(Int(code) - 78)  // keypad 1–3
        case 75, 76, 77: self = .digit(Int(code) - 71)  // keypad 4–6
        case 71, 72, 73: self = .digit(Int(code) - 64)  // keypad 7–9
        case 82: self = .digit(0)
        case 28, 96: self = .enter
        case 14: self = .backspace
        case 1: self = .escape
        case 103: self = .up
        case 108: self = .down
        case 105: self = .left
        case 106: self = .right
        case 59...63: self = .function(Int(code) - 58)
        case 88: self = .function(12)  // KEY_F12: staff sign-in and sign-out
        default: return nil
        }
    }
}

/// A key from a terminal, escape sequences decoded.
public enum TerminalKey: Sendable, Hashable {
    case character(Character)
    case meaning(KeyMeaning)

    /// Takes one key off the front of `bytes` (a lone ESC, an escape sequence, a UTF-8
    /// character); nil when `bytes` holds only part of one.
    public static func parse(_ bytes: inout [UInt8]) -> TerminalKey? {
        guard let first = bytes.first else { return nil }
        let sequences: [([UInt8], KeyMeaning)] = [
            (Array("\u{1B}[A".utf8), .up), (Array("\u{1B}[B".utf8), .down), (Array("\u{1B}[C".utf8), .right), (Array("\u{1B}[D".utf8), .left),
            (Array("\u{1B}OP".utf8), .function(1)), (Array("\u{1B}OQ".utf8), .function(2)), (Array("\u{1B}OR".utf8), .function(3)),
            (Array("\u{1B}OS".utf8), .function(4)), (Array("\u{1B}[15~".utf8), .function(5)), (Array("\u{1B}[24~".utf8), .function(12)),
        ]
        if first == 0x1B {
            for (sequence, meaning) in sequences where bytes.starts(with: sequence) {
                bytes.removeFirst(sequence.count)
                return .meaning(meaning)
            }
            if bytes.count == 1 || bytes[1] != 0x5B && bytes[1] != 0x4F {
                bytes.removeFirst()
                return .meaning(.escape)
            }
            // An unknown sequence is dropped: SS3 (ESC O) takes one more byte; CSI (ESC [)
            // takes parameter and intermediate bytes up to a final byte. A byte that cannot
            // be in one, or more than 32 of them, ends it as garbage: a stream that never
            // finishes its sequence must not hold the keys after it, nor grow without end.
            if bytes[1] == 0x4F {
                guard bytes.count >= 3 else { return nil }
                bytes.removeFirst(3)
                return nil
            }
            var end = 2
            while end < bytes.count, end < 34 {
                let byte = bytes[end]
                if (0x40...0x7E).contains(byte) {
                    bytes.removeFirst(end + 1)
                    return nil
                }
                guard (0x20...0x3F).contains(byte) else {
                    bytes.removeFirst(end)
                    return nil
                }
                end += 1
            }
            if end >= 34 { bytes.removeFirst(end) }
            return nil
        }
        if first == 0x0D || first == 0x0A { bytes.removeFirst(); return .meaning(.enter) }
        if first == 0x7F || first == 0x08 { bytes.removeFirst(); return .meaning(.backspace) }
        if (0x30...0x39).contains(first) { bytes.removeFirst(); return .meaning(.digit(Int(first) - 0x30)) }
        let length = first < 0x80 ? 1 : first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4
        guard bytes.count >= length else { return nil }
        let text = String(decoding: bytes[0..<length], as: UTF8.self)
        bytes.removeFirst(length)
        return text.first.map { .character($0) }
    }
}
