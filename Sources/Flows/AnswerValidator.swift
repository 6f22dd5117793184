import MadoguchiCore

/// Checks an answer against its question: type, choices, range, length, characters, date
/// bounds, items. Messages never repeat the answer.
struct AnswerValidator {
    let mode: KioskMode

    func validate(_ value: AnswerValue, for question: Question, in environment: some ExpressionEnvironment, path: String? = nil)
        throws(AnswerError) -> AnswerValue
    {
        let name = path ?? question.id
        func fail(_ kind: AnswerError.Kind, _ ja: String, _ en: String) -> AnswerError {
            AnswerError(kind, question: name, ja: "質問「\(name)」: \(ja)", en: "question \"\(name)\": \(en)")
        }
        func wrongType(_ ja: String, _ en: String) -> AnswerError { fail(.wrongType, "答えは\(ja)にしてください。", "the answer must be \(en).") }

        switch question.kind {
        case .boolean:
            guard case .boolean = value else { throw wrongType("true か false", "true or false") }
            return value
        case .singleChoice(let choices):
            guard case .choice(let chosen) = value else { throw wrongType("選択肢の値", "one choice value") }
            guard choices.contains(where: { $0.value == chosen }) else {
                throw fail(
                    .notAChoice, "選択肢にない値です。\(choices.map(\.value).joined(separator: "、")) のどれかにしてください。",
                    "the answer is not one of its choices; use one of \(choices.map(\.value).joined(separator: ", ")).")
            }
            return value
        case .multipleChoice(let choices, let minimum, let maximum):
            guard case .choices(let chosen) = value else { throw wrongType("選択肢の値のリスト", "a list of choice values") }
            let values = choices.map(\.value)
            guard chosen.allSatisfy(values.contains) else {
                throw fail(
                    .notAChoice, "選択肢にない値があります。\(values.joined(separator: "、")) から選んでください。",
                    "the answer holds a value that is not a choice; choose from \(values.joined(separator: ", ")).")
            }
            let ordered = values.filter(chosen.contains)
            if ordered.count > 1, let exclusive = choices.first(where: { $0.exclusive && ordered.contains($0.value) }) {
                throw fail(
                    .exclusiveWithOthers, "「\(exclusive.value)」は他の選択肢と一緒には選べません。",
                    "\"\(exclusive.value)\" cannot be chosen together with other choices.")
            }
            if ordered.count < minimum {
                throw fail(.tooFewSelected, "\(minimum) つ以上選んでください。", "choose at least \(minimum).")
            }
            if let maximum, ordered.count > maximum {
                throw fail(.tooManySelected, "\(maximum) つまで選べます。", "choose at most \(maximum).")
            }
            return .choices(ordered)
        case .number(let minimum, let maximum, let integer, _):
            guard case .number(let number) = value, number.isFinite else { throw wrongType("数", "a number") }
            if integer && number.rounded() != number {
                throw fail(.notWhole, "整数で答えてください。", "the answer must be a whole number.")
            }
            guard number >= minimum && number <= maximum else {
                let low = ExpressionPrinter.number(minimum)
                let high = ExpressionPrinter.number(maximum)
                throw fail(.outOfRange, "\(low)〜\(high) の数にしてください。", "the answer must be from \(low) to \(high).")
            }
            return value
        case .date(_, let earliest, let latest):
            guard case .date(let date) = value else { throw wrongType("日付", "a date") }
            if let earliest, case .date(let bound) = earliest.expression.evaluate(in: environment), date < bound {
                let shown = Self.showsBound(earliest) ? "(\(bound.description)以降)" : ""
                let shownEn = Self.showsBound(earliest) ? " (\(bound.description) or later)" : ""
                throw fail(.tooEarly, "日付が早すぎます\(shown)。確かめてください。", "the date is too early\(shownEn); check it.")
            }
            if let latest, case .date(let bound) = latest.expression.evaluate(in: environment), date > bound {
                let shown = Self.showsBound(latest) ? "(\(bound.description)まで)" : ""
                let shownEn = Self.showsBound(latest) ? " (\(bound.description) at the latest)" : ""
                throw fail(.tooLate, "日付が遅すぎます\(shown)。確かめてください。", "the date is too late\(shownEn); check it.")
            }
            return value
        case .text(let maxLength, let kind):
            guard case .text(let text) = value else { throw wrongType("文字", "text") }
            let trimmed = text.trimmingSpaces
            guard !trimmed.isEmpty else { throw fail(.empty, "何か入力してください。", "the answer is empty.") }
            if trimmed.count > maxLength {
                throw fail(.tooLong, "\(maxLength) 文字までにしてください。", "the answer may have at most \(maxLength) characters.")
            }
            if !Self.fits(trimmed, kind) {
                let (ja, en) = Self.kindWords(kind)
                throw fail(.wrongCharacters, "\(ja)で入力してください。", "use \(en).")
            }
            return .text(trimmed)
        case .confirmIdentity(_, let allowChange):
            guard case .identity(let changed, let address) = value else {
                throw wrongType("住所が変わったかどうか", "whether the address changed")
            }
            if changed && !allowChange {
                throw fail(
                    .addressChangeNotAllowed, "この質問では住所の変更を受け付けません。窓口でお伝えください。",
                    "this question takes no address change; tell the counter.")
            }
            if let address, address.trimmingSpaces.count > 200 {
                throw fail(.tooLong, "新しい住所は 200 文字までにしてください。", "the new address may have at most 200 characters.")
            }
            return .identity(addressChanged: changed, newAddress: changed ? address?.trimmingSpaces.nonEmpty : nil)
        case .repeatGroup(let nested, _, _, let minItems, let maxItems):
            guard case .items(let items) = value else { throw wrongType("項目のリスト", "a list of items") }
            if items.count < minItems {
                throw fail(.tooFewItems, "\(minItems) 件以上入力してください。", "enter at least \(minItems) items.")
            }
            if items.count > maxItems {
                throw fail(.tooManyItems, "\(maxItems) 件までにしてください。", "enter at most \(maxItems) items.")
            }
            var checked: [[String: AnswerValue]] = []
            for (number, item) in items.enumerated() {
                checked.append(try validateItem(item, number: number, nested: nested, group: question.id, environment: environment))
            }
            return .items(checked)
        }
    }

    private func validateItem(
        _ item: [String: AnswerValue], number: Int, nested: [Question], group: String, environment: some ExpressionEnvironment
    ) throws(AnswerError) -> [String: AnswerValue] {
        let prefix = "\(group)[\(number + 1)]"
        if let unknown = item.keys.sorted().first(where: { key in !nested.contains { $0.id == key } }) {
            throw AnswerError(
                .unknownNestedQuestion, question: prefix,
                ja: "質問「\(group)」の \(number + 1) 件目に「\(unknown)」という質問はありません。",
                en: "item \(number + 1) of question \"\(group)\" has no question \"\(unknown)\".")
        }
        var result: [String: AnswerValue] = [:]
        var bound: [String: ExpressionValue] = [:]
        for inner in nested {
            var itemEnvironment = ItemEnvironment(outer: environment, item: .object(bound))
            var decision = inner.when.map { $0.expression.evaluate(in: itemEnvironment).decision } ?? .yes
            if inner.answeredBy == .staff && mode == .resident && decision == .yes { decision = .unknown }
            switch decision {
            case .yes:
                if let value = item[inner.id] {
                    itemEnvironment.item = .object(bound)
                    let checked = try validate(value, for: inner, in: itemEnvironment, path: "\(prefix).\(inner.id)")
                    result[inner.id] = checked
                    bound[inner.id] = checked.expressionValue
                } else if inner.optional {
                    bound[inner.id] = .null
                } else {
                    throw AnswerError(
                        .missingNestedAnswer, question: "\(prefix).\(inner.id)",
                        ja: "質問「\(group)」の \(number + 1) 件目の「\(inner.id)」に答えてください。",
                        en: "item \(number + 1) of question \"\(group)\" needs an answer to \"\(inner.id)\".")
                }
            case .no:
                bound[inner.id] = .null
            case .unknown:
                bound[inner.id] = .unknown
            }
        }
        return result
    }

    /// A bound may be shown when it comes from no answer or card (it is not personal).
    static func showsBound(_ bound: SourceExpression) -> Bool {
        !bound.expression.references.contains { $0.reference.root == .answers || $0.reference.root == .identity }
    }

    static func fits(_ text: String, _ kind: TextInputKind) -> Bool {
        let scalars = text.unicodeScalars
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
        switch kind {
        case .any: return !scalars.contains { $0.properties.generalCategory == .control }
        case .katakana: return scalars.allSatisfy { (0x30A0...0x30FF).contains($0.value) || $0 == " " || $0 == "\u{3000}" }
        case .hiragana: return scalars.allSatisfy { (0x3041...0x309F).contains($0.value) || $0 == "ー" || $0 == " " || $0 == "\u{3000}" }
        case .digits: return scalars.allSatisfy(isDigit)
        case .phone:
            let digits = scalars.filter(isDigit).count
            return scalars.allSatisfy { isDigit($0) || $0 == "-" } && (10...11).contains(digits)
        case .postalCode:
            let plain = scalars.filter { $0 != "-" }
            return plain.count == 7 && plain.allSatisfy(isDigit) && (scalars.count == 7 || (scalars.count == 8 && Array(scalars)[3] == "-"))
        }
    }

    static func kindWords(_ kind: TextInputKind) -> (String, String) {
        switch kind {
        case .any: ("制御文字を使わず", "text without control characters")
        case .katakana: ("カタカナ", "katakana")
        case .hiragana: ("ひらがな", "hiragana")
        case .digits: ("数字だけ", "digits only")
        case .phone: ("電話番号(数字 10〜11 桁、ハイフン可)", "a phone number (10 or 11 digits, hyphens allowed)")
        case .postalCode: ("郵便番号(例: 100-0013)", "a postal code (e.g. 100-0013)")
        }
    }
}

/// An outer environment with a repeat item bound.
struct ItemEnvironment<Outer: ExpressionEnvironment>: ExpressionEnvironment {
    let outer: Outer
    var item: ExpressionValue
    var today: CalendarDate { outer.today }
    var currentItem: ExpressionValue? { item }
    func value(of path: String) -> ExpressionValue? { outer.value(of: path) }
}

extension String {
    /// Without leading and trailing spaces (ASCII and ideographic) and line breaks.
    var trimmingSpaces: String {
        let scalars = Array(unicodeScalars)
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\u{3000}" || s == "\t" || s == "\n" || s == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension FlowRun {
    /// Whether an item of a repeated group asks `inner`, given the item's answers so far:
    /// its `when` holds with `item.*` bound, and it is not a staff question in resident mode.
    /// Screens use it to ask an item's questions one at a time.
    public func asks(_ inner: Question, inItem answers: [String: AnswerValue], of group: Question) -> Bool {
        if inner.answeredBy == .staff && mode == .resident { return false }
        guard let when = inner.when else { return true }
        var bound: [String: ExpressionValue] = [:]
        for question in group.nestedQuestions {
            if question.id == inner.id { break }
            bound[question.id] = answers[question.id]?.expressionValue ?? .null
        }
        return when.expression.evaluate(in: ItemEnvironment(outer: environment, item: .object(bound))).decision == .yes
    }
}
