/// A dotted reference such as `answers.applicant.addressChanged`.
public struct ExpressionReference: Sendable, Hashable, CustomStringConvertible {
    /// The first word of a reference.
    public enum Root: String, Sendable, Hashable, CaseIterable {
        /// `answers.<id>`: an answer.
        case answers
        /// `identity.<field>`: from the My Number Card.
        case identity
        /// `computed.<name>`: a computed value.
        case computed
        /// `item.<id>`: a field of the current repeat item.
        case item
    }

    /// The first word.
    public var root: Root
    /// The names after it (at least one).
    public var names: [String]

    /// Creates a reference.
    public init(_ root: Root, _ names: [String]) {
        self.root = root
        self.names = names
    }

    /// `root.name.name`.
    public var description: String { ([root.rawValue] + names).joined(separator: ".") }
}
