public import Screens

extension KeyMeaning {
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
        case .function(12):
            return "staff"
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
