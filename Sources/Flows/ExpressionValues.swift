/// An environment held in a dictionary: what tests and `forms run` use.
public struct ExpressionValues: ExpressionEnvironment, Sendable, Hashable {
    /// The session's date.
    public var today: CalendarDate
    /// Values by full dotted path.
    public var values: [String: ExpressionValue]
    /// The current item of a repeat, if any.
    public var currentItem: ExpressionValue?

    /// Creates an environment.
    public init(today: CalendarDate, values: [String: ExpressionValue] = [:], currentItem: ExpressionValue? = nil) {
        self.today = today
        self.values = values
        self.currentItem = currentItem
    }

    /// The value stored under `path`.
    public func value(of path: String) -> ExpressionValue? { values[path] }
}
