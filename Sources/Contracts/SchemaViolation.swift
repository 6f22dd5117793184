public import MadoguchiCore

/// One way an instance breaks its contract, located in the instance's file.
///
/// Messages name keys, types and the allowed values from the schema, never the value the
/// instance holds: answer files and submissions carry personal data, which must not reach
/// an error message.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the value in the instance (`/questions/2/type`; `""` for the root).
    public var instancePath: String
    /// Where that value stands in its file.
    public var location: FilePosition
    /// The schema keyword that failed (`required`, `type`, `oneOf`, …).
    public var keyword: String
    /// What is wrong and what to do, Japanese first.
    public var message: BilingualText

    /// Creates a violation.
    public init(instancePath: String, location: FilePosition, keyword: String, message: BilingualText) {
        self.instancePath = instancePath
        self.location = location
        self.keyword = keyword
        self.message = message
    }

    /// The contract's error line in one language: `path:line:col: error: <sentence>`
    /// (`docs/contracts/form-bundle.md`, "Error messages").
    public func line(in language: MessageLanguage) -> String {
        "\(location): error: \(language == .japanese ? message.ja : message.en)"
    }

    /// The Japanese line, then the English line.
    public var description: String { line(in: .japanese) + "\n" + line(in: .english) }
}

/// The language of a message line; Japanese is the default everywhere.
public enum MessageLanguage: String, Sendable, CaseIterable {
    case japanese = "ja"
    case english = "en"
}
