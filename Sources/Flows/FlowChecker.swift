import Contracts
import MadoguchiCore

/// The checks `docs/contracts/form-bundle.md` makes beyond the file shapes: references,
/// types, the order of questions, cycles, conditions that can never hold, numbers outside
/// a question's range, missing documents, images and strings, translations and ruby.
struct FlowChecker {
    let part: BundlePart
    var diagnostics: [FlowDiagnostic] = []
    /// Whether the files were read without errors (otherwise "unused" warnings would only
    /// echo items that could not be read).
    let sound: Bool
    /// Ids of items that could not be read or checked: expressions using them are not
    /// checked further, so one mistake gives one message.
    private var broken: Set<String>
    /// Expressions that had errors (by place), left out of the later checks.
    private var failed: Set<String> = []

    init(part: BundlePart, sound: Bool = true) {
        self.part = part
        self.sound = sound
        self.broken = part.flow.brokenIds
    }

    private static func key(_ source: SourceExpression) -> String { "\(source.location)|\(source.text)" }

    /// Whether an expression uses an item that could not be read.
    private func usesBroken(_ source: SourceExpression) -> Bool {
        source.expression.references.contains(where: { found in
            guard let name = found.reference.names.first else { return false }
            return (found.reference.root == .answers || found.reference.root == .computed) && broken.contains(name)
        })
    }

    private var flow: FlowDefinition { part.flow }

    private mutating func error(_ check: FlowDiagnostic.Check, _ location: FilePosition, ja: String, en: String) {
        diagnostics.append(.error(check, location, ja: ja, en: en))
    }

    private mutating func warning(_ check: FlowDiagnostic.Check, _ location: FilePosition, ja: String, en: String) {
        diagnostics.append(.warning(check, location, ja: ja, en: en))
    }

    // MARK: the whole check

    /// Checks the bundle; returns it when the parts needed to run it are sound (errors may
    /// still have been reported: the caller decides).
    mutating func check() -> FormBundle? {
        let identity = flow.identity ?? .none
        var symbols = ExpressionSymbols()
        if identity != .none { symbols.defineIdentity() }
        for question in flow.questions { Self.define(question, in: &symbols) }

        let computedOrder = checkComputed(&symbols)
        checkQuestions(symbols)
        checkProcedures(symbols)
        checkDocuments(symbols)
        checkStrings()
        checkNeverTrue(computedOrder: computedOrder)

        guard let title = flow.title else { return nil }
        return FormBundle(
            id: flow.id, version: flow.version, base: nil, title: title, identity: identity, questions: flow.questions,
            computed: computedOrder, procedures: flow.procedures, checklist: flow.checklist, documents: part.documents,
            strings: part.strings, directory: part.files.directory, symbols: symbols)
    }

    /// The references a question's answer gives expressions.
    static func define(_ question: Question, in symbols: inout ExpressionSymbols) {
        let path = "answers." + question.id
        switch question.kind {
        case .confirmIdentity:
            symbols.define(path, as: .object)
            symbols.define(path + ".addressChanged", as: .boolean)
            symbols.define(path + ".newAddress", as: .text)
        case .repeatGroup(let nested, _, _, _, _):
            let itemChoices = Dictionary(nested.map { ($0.id, $0.kind.choices.map(\.value)) }, uniquingKeysWith: { a, _ in a })
            symbols.define(path, as: question.kind.expressionType, itemChoices: itemChoices.filter { !$0.value.isEmpty })
        default:
            guard symbols.references[path] == nil else { return }  // a duplicate id keeps the first
            symbols.define(path, as: question.kind.expressionType, choices: question.kind.choices.map(\.value))
        }
    }

    // MARK: expressions

    /// Type-checks one expression, turning its errors into located diagnostics.
    @discardableResult
    private mutating func typeCheck(
        _ source: SourceExpression, _ symbols: ExpressionSymbols, expecting type: ExpressionType? = nil
    ) -> ExpressionType? {
        if usesBroken(source) {
            failed.insert(Self.key(source))
            return nil
        }
        switch source.expression.typeCheck(in: symbols, expecting: type) {
        case .success(let type):
            checkRanges(source)
            return type
        case .failure(let errors):
            failed.insert(Self.key(source))
            for error in errors.errors {
                diagnostics.append(FlowDiagnostic(.error, .expression, at: source.location(ofOffset: error.offset), error.message))
            }
            return nil
        }
    }

    /// The answers and computed values an expression reads (item references excluded).
    private static func reads(_ expression: Expression) -> (answers: [(String, Int)], computed: [(String, Int)]) {
        var answers: [(String, Int)] = []
        var computed: [(String, Int)] = []
        for (reference, offset) in expression.references {
            guard let name = reference.names.first else { continue }
            switch reference.root {
            case .answers: answers.append((name, offset))
            case .computed: computed.append((name, offset))
            default: break
            }
        }
        return (answers, computed)
    }

    // MARK: computed values

    /// The answers each computed value depends on, directly or through others.
    private var computedAnswers: [String: Set<String>] = [:]

    /// Orders computed values so each follows those it uses, reports cycles, and types them.
    private mutating func checkComputed(_ symbols: inout ExpressionSymbols) -> [ComputedValue] {
        let byName = Dictionary(flow.computed.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var order: [ComputedValue] = []
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var reported = Set<String>()
        func visit(_ name: String, path: [String]) {
            guard let value = byName[name] else { return }
            if state[name] == 2 { return }
            if state[name] == 1 {
                let cycle = Array(path.drop { $0 != name }) + [name]
                if !reported.contains(name) {
                    cycle.forEach { reported.insert($0) }
                    let chain = cycle.map { "computed.\($0)" }
                    error(
                        .cycle, value.location,
                        ja: "計算値が循環しています(\(chain.joined(separator: " → ")))。どれかの式を書き換えて循環をなくしてください。",
                        en: "computed values depend on each other in a circle (\(chain.joined(separator: " → "))); rewrite one of them to break it.")
                }
                return
            }
            state[name] = 1
            var answers = Set(Self.reads(value.expression.expression).answers.map(\.0))
            for (dependency, _) in Self.reads(value.expression.expression).computed {
                visit(dependency, path: path + [name])
                answers.formUnion(computedAnswers[dependency] ?? [])
            }
            computedAnswers[name] = answers
            state[name] = 2
            order.append(value)
        }
        for value in flow.computed { visit(value.name, path: []) }
        broken.formUnion(reported)
        for value in order where !reported.contains(value.name) {
            if let type = typeCheck(value.expression, symbols) {
                symbols.define("computed." + value.name, as: type)
            } else {
                broken.insert(value.name)
            }
        }
        return order.filter { !reported.contains($0.name) }
    }

    // MARK: questions

    private mutating func checkQuestions(_ symbols: ExpressionSymbols) {
        let index = Dictionary(flow.questions.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for (position, question) in flow.questions.enumerated() {
            let subject = Subject.question(question.id)
            if let when = question.when {
                typeCheck(when, symbols, expecting: .boolean)
                checkOrder(when, of: subject, key: "when", position: position, index: index, allowSelf: false)
            }
            if case .date(_, let earliest, let latest) = question.kind {
                for (key, bound) in [("earliest", earliest), ("latest", latest)] {
                    guard let bound else { continue }
                    typeCheck(bound, symbols, expecting: .date)
                    checkOrder(bound, of: subject, key: key, position: position, index: index, allowSelf: false)
                }
            }
            if case .confirmIdentity = question.kind, (flow.identity ?? IdentityRequirement.none) == IdentityRequirement.none {
                error(
                    .structure, question.location,
                    ja: "\(subject.ja)は confirmIdentity ですが、このフォームは identity: none でカードを読みません。identity: required にしてください。",
                    en: "\(subject.en) is confirmIdentity, but the flow reads no card (identity: none); set identity: required.")
            }
            if case .repeatGroup(let nested, _, _, _, _) = question.kind {
                var itemSymbols = symbols
                var fields: [String: ExpressionSymbols.Symbol] = [:]
                for inner in nested {
                    itemSymbols.boundItem = fields
                    let innerSubject = Subject(ja: "\(subject.ja)の中の質問「\(inner.id)」", en: "nested question \"\(inner.id)\" of \(subject.en)")
                    if let when = inner.when {
                        typeCheck(when, itemSymbols, expecting: .boolean)
                        checkOrder(when, of: innerSubject, key: "when", position: position, index: index, allowSelf: false)
                    }
                    if case .date(_, let earliest, let latest) = inner.kind {
                        for bound in [earliest, latest].compactMap({ $0 }) { typeCheck(bound, itemSymbols, expecting: .date) }
                    }
                    fields[inner.id] = ExpressionSymbols.Symbol(inner.kind.expressionType, choices: inner.kind.choices.map(\.value))
                }
            }
        }
    }

    /// Reports references to the question itself or to questions asked later, directly or
    /// through computed values.
    private mutating func checkOrder(
        _ source: SourceExpression, of subject: Subject, key: String, position: Int, index: [String: Int], allowSelf: Bool
    ) {
        let (answers, computed) = Self.reads(source.expression)
        for (answer, offset) in answers {
            guard let target = index[answer], target >= position else { continue }
            failed.insert(Self.key(source))
            let location = source.location(ofOffset: offset)
            if target == position {
                error(
                    .order, location,
                    ja: "\(subject.ja)の \(key) が自分自身の答え「answers.\(answer)」を使っています。前の質問の答えだけを使ってください。",
                    en: "the \(key) of \(subject.en) uses its own answer answers.\(answer); use only answers to earlier questions.")
            } else {
                error(
                    .order, location,
                    ja: "\(subject.ja)の \(key) が、この質問より後の「\(answer)」を使っています。質問の順番を入れ替えてください。",
                    en: "the \(key) of \(subject.en) uses answers.\(answer), which is asked later; move the question after it.")
            }
        }
        for (name, offset) in computed {
            let later = (computedAnswers[name] ?? []).compactMap { answer in index[answer].map { (answer, $0) } }
                .filter { $0.1 >= position }.sorted { $0.1 < $1.1 }
            guard let first = later.first else { continue }
            failed.insert(Self.key(source))
            error(
                .order, source.location(ofOffset: offset),
                ja: "\(subject.ja)の \(key) が「computed.\(name)」を使い、それがこの質問\(first.1 == position ? "自身" : "より後")の「\(first.0)」に依存しています。質問の順番を入れ替えてください。",
                en: "the \(key) of \(subject.en) uses computed.\(name), which depends on \"\(first.0)\", \(first.1 == position ? "this question itself" : "asked later"); move the question after it.")
        }
    }

    // MARK: procedures

    private mutating func checkProcedures(_ symbols: ExpressionSymbols) {
        for procedure in flow.procedures {
            let subject = Subject.procedure(procedure.id)
            typeCheck(procedure.applies, symbols, expecting: .boolean)
            if let deadline = procedure.deadline { typeCheck(deadline.from, symbols, expecting: .date) }
            for document in procedure.documents where part.documents[document] == nil {
                error(
                    .missing, procedure.location,
                    ja: "\(subject.ja)の文書「\(document)」がありません。documents/\(document).yaml を作るか、名前を直してください\(suggestDocument(document).map { "(「\($0)」ではありませんか?)" } ?? "")。",
                    en: "\(subject.en) prints document \"\(document)\", but there is no documents/\(document).yaml; add it or fix the name\(suggestDocument(document).map { " (did you mean \"\($0)\"?)" } ?? "").")
            }
        }
        if let checklist = flow.checklist, part.documents[checklist] == nil {
            error(
                .missing, flow.location,
                ja: "checklist の文書「\(checklist)」がありません。documents/\(checklist).yaml を作るか、名前を直してください。",
                en: "the checklist document \"\(checklist)\" does not exist; add documents/\(checklist).yaml or fix the name.")
        }
    }

    private func suggestDocument(_ name: String) -> String? { NearMiss.suggestion(for: name, among: part.documents.keys) }

    // MARK: documents

    private static let dateFormats: Set<String> = ["warekiDate", "westernDate", "isoDate", "warekiEra", "warekiYear", "year", "month", "day"]
    private static let formats: Set<String> = dateFormats.union(["text", "number", "yesNo", "choiceText", "sex"])

    private mutating func checkDocuments(_ symbols: ExpressionSymbols) {
        for id in part.documents.keys.sorted() {
            guard let document = part.documents[id] else { continue }
            let subject = Subject(ja: "文書「\(id)」", en: "document \"\(id)\"")
            for condition in document.conditions { typeCheck(condition, symbols, expecting: .boolean) }
            for binding in document.bindings { checkBinding(binding, symbols, subject) }
            for image in document.images where !part.files.others.contains("documents/images/" + image.file) {
                error(
                    .missing, image.location,
                    ja: "\(subject.ja)の画像「\(image.file)」が documents/images/ にありません。",
                    en: "\(subject.en) uses image \"\(image.file)\", which is not in documents/images/.")
            }
        }
    }

    private mutating func checkBinding(_ binding: BundleDocument.Binding, _ symbols: ExpressionSymbols, _ subject: Subject) {
        let path = binding.path
        var type: ExpressionType?
        var isChoice = false
        var isSex = false
        if path == "submission.id" {
            type = .text
        } else if path == "submission.createdAt" {
            type = .date
        } else if path.hasPrefix("item."), let table = binding.table {
            let field = String(path.dropFirst(5))
            let repeatQuestion = table.hasPrefix("answers.") ? flow.questions.first { "answers." + $0.id == table } : nil
            if let inner = repeatQuestion?.nestedQuestions.first(where: { $0.id == field }) {
                type = inner.kind.expressionType
                isChoice = !inner.kind.choices.isEmpty
            } else if repeatQuestion != nil {
                let names = repeatQuestion?.nestedQuestions.map(\.id) ?? []
                error(
                    .missing, binding.location,
                    ja: "\(subject.ja)の列「\(path)」は「\(table)」の質問にありません\(NearMiss.suggestion(for: field, among: names).map { "(「item.\($0)」ではありませんか?)" } ?? "")。",
                    en: "\(subject.en) has a column bound to \(path), but \(table) has no such question\(NearMiss.suggestion(for: field, among: names).map { " (did you mean item.\($0)?)" } ?? "").")
                return
            } else {
                return  // the table's own binding is reported below
            }
        } else if path.hasPrefix("identity."), (flow.identity ?? IdentityRequirement.none) == IdentityRequirement.none {
            error(
                .structure, binding.location,
                ja: "\(subject.ja)が「\(path)」を使っていますが、このフォームは identity: none でカードを読みません。identity: required にするか、この項目を消してください。",
                en: "\(subject.en) binds \(path), but the flow reads no card (identity: none); set identity: required or remove the item.")
            return
        } else if let symbol = symbols.references[path] {
            type = symbol.type
            isChoice = !symbol.choices.isEmpty
            isSex = path == "identity.sex"
        } else {
            let candidates = Array(symbols.references.keys) + ["submission.id", "submission.createdAt"]
            let suggestion = NearMiss.suggestion(for: path, among: candidates)
            error(
                .missing, binding.location,
                ja: "\(subject.ja)の bind「\(NodeReader.shown(path))」はありません\(suggestion.map { "。「\($0)」ではありませんか?" } ?? "。identity.*、answers.*、computed.*、submission.id、submission.createdAt のどれかにしてください。")",
                en: "\(subject.en) binds \(NodeReader.shown(path)), which does not exist\(suggestion.map { "; did you mean \($0)?" } ?? "; bind identity.*, answers.*, computed.*, submission.id or submission.createdAt.")")
            return
        }
        guard let format = binding.format, let type else { return }
        guard Self.formats.contains(format) else {
            error(
                .structure, binding.location,
                ja: "\(subject.ja)の format「\(NodeReader.shown(format))」はありません。\(Self.formats.sorted().joined(separator: "、")) のどれかにしてください。",
                en: "\(subject.en) uses format \"\(NodeReader.shown(format))\", which does not exist; use one of \(Self.formats.sorted().joined(separator: ", ")).")
            return
        }
        let fits: Bool =
            if Self.dateFormats.contains(format) { type == .date }
            else if format == "number" { type == .number }
            else if format == "yesNo" { type == .boolean }
            else if format == "choiceText" { isChoice }
            else if format == "sex" { isSex }
            else { true }
        if !fits {
            error(
                .structure, binding.location,
                ja: "\(subject.ja)の「\(path)」は\(type.japaneseName)なので format「\(format)」は使えません。",
                en: "\(subject.en) binds \(path), a \(type), which format \"\(format)\" does not suit.")
        }
    }

    // MARK: strings

    /// Every string key the bundle uses, with where it is used.
    private var usedKeys: [(key: String, location: FilePosition)] {
        var keys: [(String, FilePosition)] = []
        if let title = flow.title { keys.append((title, flow.location)) }
        func add(_ question: Question) {
            keys.append((question.text, question.location))
            if let help = question.help { keys.append((help, question.location)) }
            for choice in question.kind.choices { keys.append((choice.text, question.location)) }
            switch question.kind {
            case .number(_, _, _, let unit?): keys.append((unit, question.location))
            case .repeatGroup(let nested, let label, let add, _, _):
                if let label { keys.append((label, question.location)) }
                if let add { keys.append((add, question.location)) }
                nested.forEach(addQuestion)
            default: break
            }
        }
        func addQuestion(_ question: Question) { add(question) }
        flow.questions.forEach(add)
        for procedure in flow.procedures {
            keys.append((procedure.title, procedure.location))
            keys.append((procedure.counter, procedure.location))
            for item in procedure.bring { keys.append((item, procedure.location)) }
            if let note = procedure.note { keys.append((note, procedure.location)) }
            if let deadline = procedure.deadline { keys.append((deadline.text, procedure.location)) }
        }
        for id in part.documents.keys.sorted() { keys += part.documents[id]?.stringKeys ?? [] }
        return keys
    }

    private mutating func checkStrings() {
        let used = usedKeys
        let usedSet = Set(used.map(\.key))
        let prefix = part.files.directory + "/strings/"
        let japanese = part.strings[.ja]
        if let japanese {
            var reported = Set<String>()
            for (key, location) in used where japanese.strings[key] == nil && !reported.contains(key) {
                reported.insert(key)
                let suggestion = NearMiss.suggestion(for: key, among: japanese.strings.keys)
                error(
                    .missing, location,
                    ja: "文言のキー「\(key)」が strings/ja.yaml にありません。日本語の文を書き足してください\(suggestion.map { "(「\($0)」ではありませんか?)" } ?? "")。",
                    en: "the string key \"\(key)\" is not in strings/ja.yaml; add its Japanese text\(suggestion.map { " (did you mean \"\($0)\"?)" } ?? "").")
            }
            for key in japanese.strings.keys.sorted() where sound && !usedSet.contains(key) {
                guard let location = japanese.strings[key]?.location else { continue }
                warning(
                    .unused, location,
                    ja: "キー「\(key)」はどこにも使われていません。不要なら消してください。",
                    en: "the key \"\(key)\" is not used anywhere; remove it if it is not needed.")
            }
        }
        for language in [BundleLanguage.en, .jaEasy] {
            guard let table = part.strings[language] else { continue }
            let file = FilePosition(file: prefix + language.rawValue + ".yaml", line: 1, column: 1)
            let name = language == .en ? (ja: "英語", en: "English") : (ja: "やさしい日本語", en: "easy-Japanese (ja-easy)")
            for key in usedSet.sorted() where table.strings[key] == nil && japanese?.strings[key] != nil {
                warning(
                    .translation, file,
                    ja: "キー「\(key)」の\(name.ja)がありません。日本語で表示します。",
                    en: "key \"\(key)\" has no \(name.en) text; Japanese is shown instead.")
            }
            for key in table.strings.keys.sorted() {
                guard let string = table.strings[key] else { continue }
                if let original = japanese?.strings[key], original.source == string.source,
                    language == .en ? string.source.unicodeScalars.contains(where: { $0.value > 0x7F }) : string.source.unicodeScalars.contains(where: TextMarkup.isKanji)
                {
                    warning(
                        .translation, string.location,
                        ja: "キー「\(key)」の\(name.ja)が日本語と同じです。\(language == .en ? "英語に訳してください" : "ふりがなを付け、やさしく書き直してください")。",
                        en: "the \(name.en) text of key \"\(key)\" is the same as the Japanese; \(language == .en ? "translate it" : "rewrite it simply, with furigana").")
                }
                if language == .jaEasy && string.markupIsValid {
                    for segment in string.segments {
                        guard case .plain(let text) = segment, let kanji = text.unicodeScalars.first(where: TextMarkup.isKanji) else { continue }
                        warning(
                            .markup, string.location,
                            ja: "キー「\(key)」のやさしい日本語の漢字「\(Character(kanji))」にふりがながありません。{漢字|かんじ} のように書いてください。",
                            en: "the kanji \"\(Character(kanji))\" in the ja-easy text of key \"\(key)\" has no furigana; write it like {漢字|かんじ}.")
                        break
                    }
                }
            }
        }
    }

    // MARK: ranges

    /// Reports comparisons of a number answer with a literal outside the question's range.
    private mutating func checkRanges(_ source: SourceExpression) {
        var found: [(offset: Int, id: String, literal: Double, range: ClosedRange<Double>)] = []
        func literal(_ expression: Expression) -> Double? {
            switch expression.node {
            case .number(let value): value
            case .unary(.negate, let operand): literal(operand).map { -$0 }
            default: nil
            }
        }
        func range(_ expression: Expression) -> (String, ClosedRange<Double>)? {
            guard case .reference(let reference) = expression.node, reference.root == .answers, reference.names.count == 1,
                let question = flow.questions.first(where: { $0.id == reference.names[0] }),
                case .number(let minimum, let maximum, _, _) = question.kind
            else { return nil }
            return (question.id, minimum...maximum)
        }
        func walk(_ expression: Expression) {
            switch expression.node {
            case .binary(let op, let left, let right):
                if op.isComparison {
                    if let (id, bounds) = range(left), let value = literal(right), !bounds.contains(value) {
                        found.append((right.offset, id, value, bounds))
                    } else if let (id, bounds) = range(right), let value = literal(left), !bounds.contains(value) {
                        found.append((left.offset, id, value, bounds))
                    }
                }
                walk(left)
                walk(right)
            case .unary(_, let operand): walk(operand)
            case .call(_, let arguments), .list(let arguments): arguments.forEach(walk)
            default: break
            }
        }
        walk(source.expression)
        for hit in found {
            let value = ExpressionPrinter.number(hit.literal)
            let low = ExpressionPrinter.number(hit.range.lowerBound)
            let high = ExpressionPrinter.number(hit.range.upperBound)
            error(
                .outOfRange, source.location(ofOffset: hit.offset),
                ja: "\(value) は質問「\(hit.id)」の範囲(\(low)〜\(high))の外なので、この比較の結果はいつも同じです。範囲内の値にするか、質問の minimum/maximum を直してください。",
                en: "\(value) is outside the range of question \"\(hit.id)\" (\(low) to \(high)), so this comparison always gives the same result; use a value in the range or fix the question's minimum/maximum.")
        }
    }

    // MARK: conditions that can never hold

    /// Folds every `when` and `applies` with all reachable answers unknown and unreachable
    /// ones null; a result that is false or null whatever the answers is an error.
    private mutating func checkNeverTrue(computedOrder: [ComputedValue]) {
        // Two folds: in `strict` the answers of never-asked questions are null; in `lenient`
        // they stay unknown. A condition is reported only when it is false in both, so a
        // condition that fails only because of an earlier reported one is not repeated.
        var strict = FoldingEnvironment()
        if (flow.identity ?? IdentityRequirement.none) != IdentityRequirement.none { strict.values["identity"] = .unknown }
        var lenient = strict
        let failed = self.failed
        func fold(_ source: SourceExpression, _ environment: FoldingEnvironment) -> ExpressionValue.Decision {
            failed.contains(Self.key(source)) ? .unknown : source.expression.evaluate(in: environment).decision
        }
        func foldComputed() {
            for value in computedOrder {
                strict.values["computed." + value.name] = failed.contains(Self.key(value.expression)) ? .unknown : value.expression.expression.evaluate(in: strict)
                lenient.values["computed." + value.name] = failed.contains(Self.key(value.expression)) ? .unknown : value.expression.expression.evaluate(in: lenient)
            }
        }
        for question in flow.questions {
            foldComputed()
            var reachable = true
            if let when = question.when, fold(when, strict) == .no {
                reachable = false
                if fold(when, lenient) == .no {
                    error(
                        .neverTrue, when.location,
                        ja: "質問「\(question.id)」の when はどう答えても真になりません。この質問は一度も聞かれません。条件を直してください。",
                        en: "the when of question \"\(question.id)\" can never be true, whatever the answers; the question is never asked. Fix the condition.")
                }
            }
            strict.values["answers." + question.id] = reachable ? .unknown : .null
            lenient.values["answers." + question.id] = .unknown
        }
        foldComputed()
        for procedure in flow.procedures where fold(procedure.applies, strict) == .no && fold(procedure.applies, lenient) == .no {
            error(
                .neverTrue, procedure.applies.location,
                ja: "手続き「\(procedure.id)」の applies はどう答えても真になりません。この手続きは決して案内されません。条件を直してください。",
                en: "the applies of procedure \"\(procedure.id)\" can never be true, whatever the answers; the procedure is never offered. Fix the condition.")
        }
    }
}

/// An environment where unknown stands for "any answer" while folding conditions.
struct FoldingEnvironment: ExpressionEnvironment {
    var values: [String: ExpressionValue] = [:]
    var today: CalendarDate { CalendarDate(year: 2000, month: 1, day: 1)! }

    func value(of path: String) -> ExpressionValue? {
        if let value = values[path] { return value }
        if path.hasPrefix("identity.") { return values["identity"] }
        return nil
    }
}
