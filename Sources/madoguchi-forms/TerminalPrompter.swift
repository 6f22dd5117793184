import ArgumentParser
import Foundation
import CLISupport
import Flows
import MadoguchiCore

/// Asks a flow's questions on a plain terminal (staff and technicians; the kiosk has its
/// own screens). Reads one line per answer from standard input.
struct TerminalPrompter {
    let bundle: FormBundle

    /// Lines the person types for "back".
    static let backWords: Set<String> = ["<", "back", "戻る", "もどる"]

    /// Reads a line; nil at end of input.
    private func read() -> String? { readLine(strippingNewline: true).map { Self.halfWidth($0).trimmingCharacters(in: .whitespacesAndNewlines) } }

    mutating func ask(_ run: inout FlowRun) throws {
        while let question = run.current {
            Output.line("")
            Output.line("【\(question.id)】 \(bundle.text(question.text))")
            Output.line("  \(bundle.text(question.text, in: .en))")
            if let help = question.help { Output.line("  (\(bundle.text(help)))") }
            if let suggestion = run.suggestedAnswer(for: question) { Output.line("  前回の答え / previous answer: \(Self.show(suggestion))") }
            Output.line("  \(hint(question))")
            guard let line = read() else {
                Output.error("中止しました / Stopped.")
                throw ExitCode(130)
            }
            if Self.backWords.contains(line) {
                if !run.back() { Output.line("  最初の質問です / This is the first question.") }
                continue
            }
            if line.isEmpty && question.optional {
                try? run.skip()
                continue
            }
            switch parse(line, for: question) {
            case .failure(let refusal):
                Output.line("  ✗ \(refusal.message.ja)")
                Output.line("    \(refusal.message.en)")
            case .success(let value):
                do throws(AnswerError) {
                    try run.answer(value)
                } catch {
                    Output.line("  ✗ \(error.message.ja)")
                    Output.line("    \(error.message.en)")
                }
            }
        }
    }

    private func hint(_ question: Question) -> String {
        switch question.kind {
        case .boolean: return "はい / いいえ (y / n)"
        case .singleChoice(let choices), .multipleChoice(let choices, _, _):
            let list = choices.enumerated().map { "\($0.offset + 1)) \(bundle.text($0.element.text)) / \(bundle.text($0.element.text, in: .en))" }
            let many = if case .multipleChoice = question.kind { " — 番号をカンマ区切りで / numbers separated by commas" } else { "" }
            return list.joined(separator: "\n  ") + many
        case .number(let minimum, let maximum, _, _): return "数 / number (\(Self.number(minimum))–\(Self.number(maximum)))"
        case .date: return "日付 / date (令和8年1月5日, R8.1.5, 2026-01-05 …)"
        case .text(let maxLength, _): return "文字 / text (\(maxLength) 文字まで / at most \(maxLength))"
        case .confirmIdentity: return "住所は変わっていませんか? 変わっていなければ y、変わったら新しい住所 / Address unchanged? y, or type the new address"
        case .repeatGroup(let nested, _, _, _, let maxItems):
            return "件数を入力し、続けて各項目 / number of items (at most \(maxItems)), then \(nested.count) answers per item"
        }
    }

    private func parse(_ line: String, for question: Question) -> Result<AnswerValue, Refusal> {
        switch question.kind {
        case .boolean:
            switch line.lowercased() {
            case "y", "yes", "はい", "1", "true": return .success(.boolean(true))
            case "n", "no", "いいえ", "0", "false": return .success(.boolean(false))
            default: return .failure(Refusal(ja: "はい か いいえ で答えてください。", en: "answer yes or no."))
            }
        case .singleChoice(let choices):
            guard let choice = pick(line, choices) else {
                return .failure(Refusal(ja: "選択肢の番号で答えてください。", en: "answer with the number of a choice."))
            }
            return .success(.choice(choice))
        case .multipleChoice(let choices, _, _):
            var picked: [String] = []
            for part in line.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == " " }) {
                guard let choice = pick(String(part), choices) else {
                    return .failure(Refusal(ja: "選択肢の番号をカンマで区切って答えてください。", en: "answer with choice numbers separated by commas."))
                }
                picked.append(choice)
            }
            return .success(.choices(picked))
        case .number:
            guard let number = Double(line) else { return .failure(Refusal(ja: "数で答えてください。", en: "answer with a number.")) }
            return .success(.number(number))
        case .date:
            switch DateInput.parse(line) {
            case .success(let date): return .success(.date(date))
            case .failure(let error): return .failure(Refusal(error.message))
            }
        case .text:
            return .success(.text(line))
        case .confirmIdentity:
            if ["y", "yes", "はい", ""].contains(line.lowercased()) { return .success(.identity(addressChanged: false, newAddress: nil)) }
            return .success(.identity(addressChanged: true, newAddress: line))
        case .repeatGroup(let nested, _, _, _, _):
            guard let count = Int(line), count >= 0, count <= 50 else {
                return .failure(Refusal(ja: "件数を数字で答えてください。", en: "answer with the number of items."))
            }
            var items: [[String: AnswerValue]] = []
            for number in 0..<count {
                var item: [String: AnswerValue] = [:]
                for inner in nested {
                    Output.line("    [\(number + 1)] \(bundle.text(inner.text)) / \(bundle.text(inner.text, in: .en)) — \(hint(inner))")
                    guard let answer = read() else { return .failure(Refusal(ja: "入力が終わりました。", en: "the input ended.")) }
                    if answer.isEmpty { continue }
                    switch parse(answer, for: inner) {
                    case .success(let value): item[inner.id] = value
                    case .failure(let message): return .failure(message)
                    }
                }
                items.append(item)
            }
            return .success(.items(items))
        }
    }

    private func pick(_ text: String, _ choices: [Choice]) -> String? {
        if let number = Int(text), choices.indices.contains(number - 1) { return choices[number - 1].value }
        return choices.first { $0.value == text }?.value
    }

    static func number(_ value: Double) -> String { value.rounded() == value ? String(Int(value)) : String(value) }

    static func show(_ value: AnswerValue) -> String {
        switch value {
        case .boolean(let flag): flag ? "はい / yes" : "いいえ / no"
        case .choice(let choice): choice
        case .choices(let choices): choices.joined(separator: ", ")
        case .number(let number): number.rounded() == number ? String(Int(number)) : String(number)
        case .date(let date): date.description
        case .text(let text): text
        case .identity(let changed, _): changed ? "住所変更あり / address changed" : "変更なし / unchanged"
        case .items(let items): "\(items.count) 件 / items"
        }
    }

    /// Full-width ASCII (digits, letters, punctuation) to half-width.
    static func halfWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0xFF01...0xFF5E).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar : scalar
        }))
    }
}

/// Why a typed line is not an answer.
struct Refusal: Error {
    let message: BilingualText

    init(_ message: BilingualText) { self.message = message }

    init(ja: String, en: String) { self.message = BilingualText(ja: ja, en: en) }
}
