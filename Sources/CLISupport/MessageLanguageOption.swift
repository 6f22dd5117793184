public import ArgumentParser
public import MadoguchiCore

/// `--lang ja|en|both`: which language(s) a command prints its messages in.
public enum Language: String, ExpressibleByArgument, CaseIterable, Sendable {
    case ja, en, both

    /// The message in the chosen language(s), on one line for `both`.
    public func text(_ message: BilingualText) -> String {
        switch self {
        case .ja: message.ja
        case .en: message.en
        case .both: message.description
        }
    }

    /// Prints `message` on standard error, one line per language.
    public func error(_ message: BilingualText) {
        switch self {
        case .ja: Output.error(message.ja)
        case .en: Output.error(message.en)
        case .both:
            Output.error(message.ja)
            Output.error(message.en)
        }
    }
}
