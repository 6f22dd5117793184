/// A step of a kiosk session that metrics time: `consent`, `card`, `pin`, `identity`,
/// `question:<questionId>`, `review`, `print`.
///
/// Steps become Prometheus label values, so only these shapes are accepted: a question id
/// must be a flow `Name` (`^[a-z][A-Za-z0-9]{0,63}$`, as in `schemas/form-flow.schema.json`).
/// Anything else — an answer, a name, a sentence — cannot be made into a step.
public struct SessionStep: Sendable, Hashable, Codable, CustomStringConvertible, RawRepresentable {
    /// The step's label value, e.g. `question:dateOfDeath`.
    public let rawValue: String

    /// Reading the purpose of use, before consent.
    public static let consent = SessionStep(checked: "consent")
    /// Checking the name and address read from the card.
    public static let identity = SessionStep(checked: "identity")
    /// Placing the card and reading it.
    public static let card = SessionStep(checked: "card")
    /// The PIN pad (the time only; never the digits).
    public static let pin = SessionStep(checked: "pin")
    /// The answers and procedures, before finishing.
    public static let review = SessionStep(checked: "review")
    /// Printing the documents.
    public static let print = SessionStep(checked: "print")

    /// The step of one flow question; nil when `questionID` is not a flow `Name`.
    public static func question(_ questionID: String) -> SessionStep? {
        MetricLabel.isQuestionID(questionID) ? SessionStep(checked: "question:" + questionID) : nil
    }

    /// Parses a step's label value; nil for anything but the shapes above.
    public init?(rawValue: String) {
        switch rawValue {
        case "consent", "card", "pin", "identity", "review", "print": self.rawValue = rawValue
        default:
            guard rawValue.hasPrefix("question:"), MetricLabel.isQuestionID(String(rawValue.dropFirst(9))) else {
                return nil
            }
            self.rawValue = rawValue
        }
    }

    private init(checked rawValue: String) { self.rawValue = rawValue }

    /// The label value.
    public var description: String { rawValue }

    /// Where the step comes in a session: card, PIN, questions, review, print.
    var rank: Int {
        switch rawValue {
        case "card": 0
        case "pin": 1
        case "review": 3
        case "print": 4
        default: 2
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let step = SessionStep(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a session step"))
        }
        self = step
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
