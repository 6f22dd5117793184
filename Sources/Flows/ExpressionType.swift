/// The static type of an expression or reference (`docs/contracts/form-bundle.md`,
/// "Types" and the answer column of the question table).
public indirect enum ExpressionType: Sendable, Hashable, CustomStringConvertible {
    /// `boolean` questions, comparisons, `and`/`or`/`not`, `any`, `all`.
    case boolean
    /// `number` questions, `age`, `count`, `date - date`.
    case number
    /// `text` and `singleChoice` questions, most `identity.*` fields, text literals.
    case text
    /// `date` questions, `identity.birthDate`, `today()`, `date('…')`.
    case date
    /// A list of values: `.list(.text)` is a `multipleChoice` answer or a list of text literals.
    case list(ExpressionType)
    /// A `repeat` answer: one object per item, with the nested questions' types.
    case itemList(fields: [String: ExpressionType])
    /// A `confirmIdentity` answer as a whole (its parts have their own references).
    case object
    /// The type of the literal `null` (and the element type of the empty list `[]`).
    case null

    /// A `multipleChoice` answer: a list of choice values.
    public static let textList = ExpressionType.list(.text)

    /// The type's name in English, as messages print it.
    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .number: "number"
        case .text: "text"
        case .date: "date"
        case .list(.null): "empty list"
        case .list(let element): "list of \(element)"
        case .itemList: "list of items"
        case .object: "object"
        case .null: "null"
        }
    }

    /// The type's name in Japanese, as messages print it.
    public var japaneseName: String {
        switch self {
        case .boolean: "真偽値"
        case .number: "数"
        case .text: "文字列"
        case .date: "日付"
        case .list(.null): "空のリスト"
        case .list(let element): "\(element.japaneseName)のリスト"
        case .itemList: "項目のリスト"
        case .object: "オブジェクト"
        case .null: "null"
        }
    }

    /// Whether values of the two types can be compared with `==` (the empty list fits
    /// every list).
    func isComparable(with other: ExpressionType) -> Bool {
        switch (self, other) {
        case (.list(.null), .list), (.list, .list(.null)): true
        case (.list(.null), .itemList), (.itemList, .list(.null)): true
        default: self == other
        }
    }
}
