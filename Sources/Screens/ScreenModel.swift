import Foundation

/// The languages every screen offers.
public enum ScreenLanguage: String, Sendable, Hashable, CaseIterable {
    case ja
    case en
    case jaEasy = "ja-easy"
}

/// An sRGB colour, with the contrast arithmetic of WCAG 2.x.
public struct ScreenColour: Sendable, Hashable {
    /// Components 0…1.
    public var red: Double, green: Double, blue: Double

    /// A colour from a 0xRRGGBB value.
    public init(_ hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255
        green = Double((hex >> 8) & 0xFF) / 255
        blue = Double(hex & 0xFF) / 255
    }

    /// Relative luminance.
    public var luminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// The contrast ratio with `other`, 1…21.
    public func contrast(with other: ScreenColour) -> Double {
        let (a, b) = (luminance, other.luminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// Near-black text.
    public static let ink = ScreenColour(0x1A1A1A)
    /// The background.
    public static let paper = ScreenColour(0xFFFFFF)
    /// A primary button.
    public static let primary = ScreenColour(0x0B3D91)
    /// Text on primary.
    public static let onPrimary = ScreenColour(0xFFFFFF)
    /// A secondary button.
    public static let secondary = ScreenColour(0xE6ECF5)
    /// The bar at the top.
    public static let bar = ScreenColour(0xF2F2F2)
    /// A warning panel.
    public static let warning = ScreenColour(0xFFF1C7)
    /// A danger button (cancel a print, end).
    public static let danger = ScreenColour(0x8A1010)
}

/// A button: what it does and what it says.
public struct ScreenAction: Sendable, Hashable {
    /// How it looks.
    public enum Style: String, Sendable, Hashable {
        case primary, secondary, danger
    }

    /// What the runtime does with a press (`language.en`, `pin.7`, `choice.kokuho`, `ok`).
    public var id: String
    /// Its words.
    public var label: String
    /// How it looks.
    public var style: Style

    /// Creates a button.
    public init(_ id: String, _ label: String, _ style: Style = .secondary) {
        self.id = id
        self.label = label
        self.style = style
    }
}

/// A label and a value (identity, review).
public struct ScreenRow: Sendable, Hashable {
    /// The label.
    public var label: String
    /// The value.
    public var value: String

    /// Creates a row.
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// What sits beside the words.
public enum ScreenContent: Sendable, Hashable {
    case none
    /// A PIN pad: `entered` of `length` digits typed, shown masked.
    case pinPad(entered: Int, length: Int)
    /// A number pad with the value typed so far.
    case numberPad(value: String, unit: String?)
    /// Big buttons, one per choice.
    case choices([ScreenAction])
    /// Label–value rows.
    case rows([ScreenRow])
    /// Progress: `done` of `total` (nil: under way, no count).
    case progress(done: Int, total: Int?)
    /// A typed text's box (the keyboard comes from the input layer).
    case textEntry(value: String)
}

/// One screen: words, a widget, buttons, the chrome every screen has, and what a voice
/// guide says.
public struct Screen: Sendable, Hashable {
    /// Which screen (`welcome`, `pinPad`, `question.boolean`…).
    public var id: String
    /// Its language.
    public var language: ScreenLanguage
    /// Larger text chosen.
    public var largeText: Bool
    /// The heading.
    public var title: String
    /// The sentences under it.
    public var lines: [String]
    /// The widget.
    public var content: ScreenContent
    /// The screen's own buttons, main one last.
    public var actions: [ScreenAction]
    /// Language, larger text, help and cancel: on every screen.
    public var chrome: [ScreenAction]
    /// A line across the top (offline: submissions waiting).
    public var banner: String?
    /// Shown as a warning (yellow panel behind the words).
    public var isWarning: Bool
    /// What a voice guide says for this screen.
    public var speech: String
}
