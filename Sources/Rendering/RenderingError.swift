/// A failed Cairo call: Cairo's errors are sticky, so its status is checked after each
/// drawing pass and reported with the status's own text.
public struct RenderingError: Error, Sendable, CustomStringConvertible {
    /// What was being done, e.g. `writing PNG`.
    public let operation: String
    /// Cairo's `cairo_status_to_string` text, or another library's message.
    public let message: String

    /// Creates an error.
    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    /// One line for logs and terminals.
    public var description: String { "\(operation) failed: \(message)" }
}
