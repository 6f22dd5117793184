public import Screens

/// What a key means on a kiosk screen: digits for pads and numbered choices, Enter for the
/// main button, Backspace to correct, Esc to cancel, F1–F5 for the chrome.
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
        default: return nil
        }
    }

    /// The action id the key presses on `screen`, if any.
    public func action(on screen: Screen) -> String? {
        let pad: Bool = switch screen.content {
        case .pinPad, .numberPad: true
        default: false
        }
        switch self {
        case .digit(let digit):
            if pad { return "key.\(digit)" }
            if case .choices(let choices) = screen.content, digit >= 1, digit <= choices.count { return choices[digit - 1].id }
            return nil
        case .enter:
            if pad, screen.actions.isEmpty { return "key.ok" }
            return screen.actions.last { $0.style == .primary }?.id ?? screen.actions.last?.id
        case .backspace:
            return pad ? "key.clear" : screen.actions.first { $0.id == "back" }?.id
        case .escape:
            return "cancel"
        case .function(let number):
            return ["language.ja", "language.en", "language.ja-easy", "largeText", "help"][safe: number - 1]
        case .up, .down, .left, .right:
            return nil
        }
    }
}

extension LaidOutScreen {
    /// The target a point (mm) falls in, if any.
    public func target(atX x: Double, y: Double) -> String? {
        targets.first { x >= $0.rect.x && x <= $0.rect.x + $0.rect.width && y >= $0.rect.y && y <= $0.rect.y + $0.rect.height }?.id
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
