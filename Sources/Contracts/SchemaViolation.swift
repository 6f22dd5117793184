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
    public var location: SourceLocation
    /// The schema keyword that failed (`required`, `type`, `oneOf`, …).
    public var keyword: String
    /// What is wrong and what to do, Japanese first.
    public var message: BilingualText

    /// Creates a violation.
    public init(instancePath: String, location: SourceLocation, keyword: String, message: BilingualText) {
        self.instancePath = instancePath
        self.location = location
        self.keyword = keyword
        self.message = message
    }

    /// `path:line:col: error: 日本語 / English (at /pointer)`.
    public var description: String {
        let at = instancePath.isEmpty ? "" : " (at \(instancePath))"
        return "\(location): error: \(message.ja) / \(message.en)\(at)"
    }
}
