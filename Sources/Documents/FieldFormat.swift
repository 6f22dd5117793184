public import Flows
internal import MadoguchiCore

/// How a bound value is written (`format` in a document item).
public enum FieldFormat: String, Sendable, Hashable, CaseIterable {
    case text, warekiDate, westernDate, isoDate, warekiEra, warekiYear, year, month, day, number, yesNo, choiceText, sex

    /// The value written out, or nil when there is nothing to print (null, unknown, or a
    /// value this format cannot write, such as a date format on text that is no date).
    /// `choices` maps a choice value to its text (for `choiceText`).
    public func write(_ value: ExpressionValue, language: BundleLanguage, choices: (String) -> String? = { _ in nil }) -> String? {
        switch self {
        case .text:
            return Self.plain(value, language: language)
        case .warekiDate, .westernDate, .isoDate, .warekiEra, .warekiYear, .year, .month, .day:
            guard let date = Self.date(value) else { return nil }
            let wareki = WarekiDate(gregorianYear: date.year, month: date.month, day: date.day)
            let english = "\(date.day) \(Self.months[date.month - 1]) \(date.year)"
            switch self {
            case .warekiDate where language == .en: return wareki.map { "\(english) (\($0.era.english) \($0.year))" }
            case .warekiDate: return wareki?.text
            case .westernDate where language == .en: return english
            case .westernDate: return "\(date.year)年\(date.month)月\(date.day)日"
            case .isoDate: return date.description
            case .warekiEra: return wareki?.era.kanji
            case .warekiYear: return wareki?.yearText
            case .year: return String(date.year)
            case .month: return String(date.month)
            default: return String(date.day)
            }
        case .number:
            guard case .number(let number) = value else { return nil }
            return Self.grouped(number)
        case .yesNo:
            guard case .boolean(let flag) = value else { return nil }
            return switch language {
            case .en: flag ? "Yes" : "No"
            default: flag ? "はい" : "いいえ"
            }
        case .choiceText:
            switch value {
            case .text(let choice): return choices(choice) ?? choice
            case .list(let items):
                let texts = items.compactMap { item -> String? in
                    guard case .text(let choice) = item else { return nil }
                    return choices(choice) ?? choice
                }
                return texts.isEmpty ? nil : texts.joined(separator: language == .en ? ", " : "、")
            default: return nil
            }
        case .sex:
            let code: String
            switch value {
            case .object(let members):
                guard case .text(let text)? = members["code"] else { return nil }
                code = text
            case .text(let text): code = text
            default: return nil
            }
            return switch (code, language) {
            case ("1", .en): "Male"
            case ("2", .en): "Female"
            case ("9", .en): "Not applicable"
            case ("1", _): "男"
            case ("2", _): "女"
            case ("9", _): "適用不能"
            default: nil
            }
        }
    }

    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// Whether the format reads a date (so the checker can refuse it on other values).
    public var readsDate: Bool {
        [.warekiDate, .westernDate, .isoDate, .warekiEra, .warekiYear, .year, .month, .day].contains(self)
    }

    /// A date value, or the date part of an ISO timestamp (`submission.createdAt`).
    static func date(_ value: ExpressionValue) -> CalendarDate? {
        switch value {
        case .date(let date): date
        case .text(let text): CalendarDate(iso: String(text.prefix(10)))
        default: nil
        }
    }

    /// Text as is; numbers without a needless `.0`; lists joined.
    static func plain(_ value: ExpressionValue, language: BundleLanguage) -> String? {
        switch value {
        case .null, .unknown, .object: nil
        case .text(let text): text
        case .number(let number): ExpressionPrinter.number(number)
        case .boolean(let flag): FieldFormat.yesNo.write(.boolean(flag), language: language)
        case .date(let date): date.description
        case .list(let items):
            items.compactMap { plain($0, language: language) }.joined(separator: language == .en ? ", " : "、")
        }
    }

    /// `1,234`, `-1,234.5`.
    static func grouped(_ number: Double) -> String {
        let text = ExpressionPrinter.number(abs(number))
        let parts = text.split(separator: ".", maxSplits: 1)
        var digits = Array(parts[0])
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return (number < 0 ? "-" : "") + String(digits) + (parts.count > 1 ? "." + parts[1] : "")
    }
}
