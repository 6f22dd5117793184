/// Where an evaluation finds its references, the date, and the current repeat item.
public protocol ExpressionEnvironment {
    /// The session's date in Japan time (`today()`).
    var today: CalendarDate { get }
    /// The value at a full dotted path (`answers.insurance`, `identity.birthDate`,
    /// `computed.deceasedAge`), or nil when this environment does not hold that path as a
    /// whole; the evaluator then looks up shorter paths and takes members of objects
    /// (`answers.applicant` then `.addressChanged`). Never asked for `item.*`.
    func value(of path: String) -> ExpressionValue?
    /// The current item of a repeat (a nested question's `when`); nil elsewhere.
    var currentItem: ExpressionValue? { get }
}

extension ExpressionEnvironment {
    /// No item is bound unless the environment says so.
    public var currentItem: ExpressionValue? { nil }
}
