public import Contracts
public import MadoguchiCore

/// One thing wrong with a bundle, located in the bundle's files
/// (`docs/contracts/form-bundle.md`, "Error messages").
public struct FlowDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Errors stop a bundle from loading; warnings do not.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning

        /// Errors sort first.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    /// Which check found it (tests and tools match on this; people read `message`).
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// The file cannot be read as YAML or JSON.
        case syntax
        /// A file or folder the layout requires is missing, or one it does not know is there.
        case layout
        /// A key, value or type that the contract does not allow.
        case structure
        /// Two items with one id.
        case duplicateId
        /// An expression that does not parse or type-check.
        case expression
        /// A `when` that uses a question asked later.
        case order
        /// Computed values that depend on each other in a circle.
        case cycle
        /// A condition that can never be true.
        case neverTrue
        /// A comparison with a number outside a question's range.
        case outOfRange
        /// A document, string key or image that is named but does not exist.
        case missing
        /// Something defined that nothing uses.
        case unused
        /// Ruby or placeholder markup that is broken.
        case markup
        /// A translation that is missing or identical to the Japanese.
        case translation
        /// An `extends` problem.
        case extends
        /// A published version that changed.
        case version
    }

    /// Error or warning.
    public var severity: Severity
    /// Which check found it.
    public var check: Check
    /// Where.
    public var location: FilePosition
    /// What is wrong and what to do, Japanese first.
    public var message: BilingualText

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ check: Check, at location: FilePosition, _ message: BilingualText) {
        self.severity = severity
        self.check = check
        self.location = location
        self.message = message
    }

    /// Creates an error from its two sentences.
    static func error(_ check: Check, _ location: FilePosition, ja: String, en: String) -> FlowDiagnostic {
        FlowDiagnostic(.error, check, at: location, BilingualText(ja: ja, en: en))
    }

    /// Creates a warning from its two sentences.
    static func warning(_ check: Check, _ location: FilePosition, ja: String, en: String) -> FlowDiagnostic {
        FlowDiagnostic(.warning, check, at: location, BilingualText(ja: ja, en: en))
    }

    /// `path:line:col: error: <sentence>` in one language.
    public func line(in language: MessageLanguage) -> String {
        "\(location): \(severity.rawValue): \(language == .japanese ? message.ja : message.en)"
    }

    /// The Japanese line, then the English line.
    public var description: String { line(in: .japanese) + "\n" + line(in: .english) }

    /// Sorts diagnostics by file, line and column (unknown positions first), keeping the
    /// order found for ties.
    public static func sorted(_ diagnostics: [FlowDiagnostic]) -> [FlowDiagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let left = a.element.location
            let right = b.element.location
            if left.file != right.file { return left.file < right.file }
            if (left.line ?? 0) != (right.line ?? 0) { return (left.line ?? 0) < (right.line ?? 0) }
            if (left.column ?? 0) != (right.column ?? 0) { return (left.column ?? 0) < (right.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// A bundle that did not load: every error and warning found.
public struct FlowLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The diagnostics, sorted by place; at least one error.
    public var diagnostics: [FlowDiagnostic]

    /// Wraps diagnostics.
    public init(_ diagnostics: [FlowDiagnostic]) { self.diagnostics = diagnostics }

    /// One diagnostic per line pair.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
