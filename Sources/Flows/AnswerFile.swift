public import Contracts
public import MadoguchiCore

/// An answer file (`docs/contracts/answers-and-outcome.md`): one run of a form written
/// down, run unattended by `madoguchi forms run --answers`, golden tests and the demo.
public struct AnswerFile: Sendable, Hashable {
    /// The bundle id.
    public var form: String
    /// The bundle version the answers were written for.
    public var version: Int
    /// The mode.
    public var mode: KioskMode
    /// The session date, if fixed.
    public var today: CalendarDate?
    /// The card's data as expressions see it, or null.
    public var identity: ExpressionValue
    /// Answers by question id, with where each stands.
    public var answers: [String: (value: DataNode, location: FilePosition)]

    /// Equality of the decoded parts.
    public static func == (lhs: AnswerFile, rhs: AnswerFile) -> Bool {
        lhs.form == rhs.form && lhs.version == rhs.version && lhs.mode == rhs.mode && lhs.today == rhs.today
            && lhs.identity == rhs.identity && lhs.answers.mapValues(\.value) == rhs.answers.mapValues(\.value)
    }

    /// Hashes form and version.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(form)
        hasher.combine(version)
    }

    /// Reads an answer file's top level. Checks of the answers themselves happen in `run`.
    public static func decode(_ root: DataNode) -> Result<AnswerFile, FlowLoadError> {
        var reader = NodeReader()
        let subject = Subject(ja: "回答ファイル", en: "the answer file")
        guard let members = reader.mapping(
            root, subject, allowed: ["form", "version", "mode", "today", "description", "identity", "answers"],
            required: ["form", "version", "mode", "answers"])
        else { return .failure(FlowLoadError(reader.diagnostics)) }
        let form = reader.named(members["form"]?.value, "form", subject, .slug)
        let version = reader.integer(members["version"]?.value, "version", subject, in: 1...1_000_000)
        let mode = reader.word(members["mode"]?.value, "mode", subject, as: KioskMode.self)
        var today: CalendarDate?
        if let node = members["today"]?.value, let text = reader.text(node, "today", subject) {
            today = CalendarDate(iso: text)
            if today == nil {
                reader.error(
                    .structure, node.location,
                    ja: "today は YYYY-MM-DD の日付にしてください(例: 2026-01-09)。",
                    en: "today must be a YYYY-MM-DD date (e.g. 2026-01-09).")
            }
        }
        var identity = ExpressionValue.null
        if let node = members["identity"]?.value {
            identity = decodeIdentity(node, reader: &reader) ?? .null
        }
        var answers: [String: (value: DataNode, location: FilePosition)] = [:]
        if let node = members["answers"]?.value {
            if case .object(let entries) = node.value {
                for entry in entries { answers[entry.key] = (entry.value, entry.keyLocation) }
            } else {
                _ = reader.mapping(node, Subject(ja: "answers", en: "answers"), allowed: [], required: [])
            }
        }
        guard let form, let version, let mode, !reader.diagnostics.contains(where: { $0.severity == .error }) else {
            return .failure(FlowLoadError(reader.diagnostics))
        }
        return .success(AnswerFile(form: form, version: version, mode: mode, today: today, identity: identity, answers: answers))
    }

    private static func decodeIdentity(_ node: DataNode, reader: inout NodeReader) -> ExpressionValue? {
        let subject = Subject(ja: "identity", en: "identity")
        guard let members = reader.mapping(
            node, subject, allowed: ["name", "address", "birth", "birthDate", "birthWareki", "sex"],
            required: ["name", "address", "birth", "birthDate", "birthWareki", "sex"])
        else { return nil }
        var object: [String: ExpressionValue] = [:]
        for key in ["name", "address", "birth", "birthWareki"] {
            if let text = reader.text(members[key]?.value, key, subject) { object[key] = .text(text) }
        }
        if let node = members["birthDate"]?.value, let text = reader.text(node, "birthDate", subject) {
            guard let date = CalendarDate(iso: text) else {
                reader.error(
                    .structure, node.location,
                    ja: "identity.birthDate は YYYY-MM-DD の日付にしてください。",
                    en: "identity.birthDate must be a YYYY-MM-DD date.")
                return nil
            }
            object["birthDate"] = .date(date)
            let compact = String(date.description.filter { $0 != "-" })
            if case .text(let birth)? = object["birth"], birth != compact {
                reader.error(
                    .structure, node.location,
                    ja: "identity の birth と birthDate が合っていません。カードの読み取り結果をそのまま使ってください。",
                    en: "identity.birth and identity.birthDate disagree; use the card output as it is.")
            }
            if case .text(let wareki)? = object["birthWareki"], let expected = WarekiDate(gregorianYear: date.year, month: date.month, day: date.day)?.text,
                wareki != expected
            {
                reader.error(
                    .structure, node.location,
                    ja: "identity の birthWareki と birthDate が合っていません。カードの読み取り結果をそのまま使ってください。",
                    en: "identity.birthWareki and identity.birthDate disagree; use the card output as it is.")
            }
        }
        if let sex = members["sex"]?.value, let code = reader.text(sex["code"], "sex.code", subject) {
            object["sex"] = .object(["code": .text(code)])
        }
        return .object(object)
    }

    /// Runs the file against `bundle` in its own `FlowRun`, answering each question from
    /// the file, and returns the outcome with the warnings; or every problem found.
    public func run(_ bundle: FormBundle, fileName: String, defaultToday: CalendarDate) -> Result<(outcome: Outcome, run: FlowRun, warnings: [FlowDiagnostic]), FlowLoadError> {
        let top = FilePosition(file: fileName, line: 1, column: 1)
        var problems: [FlowDiagnostic] = []
        func fail(_ location: FilePosition, ja: String, en: String) { problems.append(.error(.structure, location, ja: ja, en: en)) }
        guard form == bundle.id else {
            fail(top, ja: "この回答ファイルはフォーム「\(form)」のものです。フォーム「\(bundle.id)」では使えません。",
                 en: "this answer file is for form \"\(form)\", not \"\(bundle.id)\".")
            return .failure(FlowLoadError(problems))
        }
        guard version == bundle.version else {
            fail(top, ja: "この回答ファイルはバージョン \(version) 用ですが、フォームはバージョン \(bundle.version) です。version を確かめてください。",
                 en: "this answer file was written for version \(version), but the form is version \(bundle.version); check version.")
            return .failure(FlowLoadError(problems))
        }
        var run: FlowRun
        do {
            run = try FlowRun(bundle: bundle, mode: mode, today: today ?? defaultToday, identity: identity)
        } catch {
            fail(top, ja: error.message.ja, en: error.message.en)
            return .failure(FlowLoadError(problems))
        }
        for key in answers.keys.sorted() where bundle.question(key) == nil {
            let suggestion = NearMiss.suggestion(for: key, among: bundle.questions.map(\.id))
            fail(answers[key]?.location ?? top,
                 ja: "「\(key)」という質問はありません\(suggestion.map { "。「\($0)」ではありませんか?" } ?? "")。",
                 en: "there is no question \"\(key)\"\(suggestion.map { "; did you mean \"\($0)\"?" } ?? "").")
        }
        if mode == .resident {
            for question in bundle.questions where question.answeredBy == .staff {
                guard let answer = answers[question.id] else { continue }
                fail(answer.location,
                     ja: "質問「\(question.id)」は職員の質問で、住民モードでは窓口で確認します。答えを消すか、mode を staff にしてください。",
                     en: "question \"\(question.id)\" is a staff question, left for the counter in resident mode; remove the answer or set mode to staff.")
            }
        }
        guard problems.isEmpty else { return .failure(FlowLoadError(problems)) }
        var used = Set<String>()
        while let question = run.current {
            guard let (node, location) = answers[question.id] else {
                if question.optional {
                    try? run.skip()
                    continue
                }
                fail(top,
                     ja: "質問「\(question.id)」の答えがありません。answers に書き足してください。",
                     en: "there is no answer to question \"\(question.id)\"; add it to answers.")
                break
            }
            used.insert(question.id)
            let value: AnswerValue
            switch Self.answerValue(node, for: question) {
            case .success(let converted): value = converted
            case .failure(let error):
                fail(node.location, ja: error.message.ja, en: error.message.en)
                return .failure(FlowLoadError(problems))
            }
            do {
                try run.answer(value)
            } catch {
                fail(location, ja: error.message.ja, en: error.message.en)
                return .failure(FlowLoadError(problems))
            }
        }
        guard problems.isEmpty else { return .failure(FlowLoadError(problems)) }
        var warnings: [FlowDiagnostic] = []
        for key in answers.keys.sorted() where !used.contains(key) && bundle.question(key) != nil {
            warnings.append(.warning(
                .structure, answers[key]?.location ?? top,
                ja: "質問「\(key)」はこの答えでは聞かれないので、答えは使いません。",
                en: "question \"\(key)\" is not asked with these answers; its answer is ignored."))
        }
        return .success((run.outcome(), run, warnings))
    }

    /// Converts a JSON value into the answer a question takes.
    public static func answerValue(_ node: DataNode, for question: Question) -> Result<AnswerValue, AnswerError> {
        func wrong(_ ja: String, _ en: String) -> Result<AnswerValue, AnswerError> {
            .failure(AnswerError(.wrongType, question: question.id,
                                 ja: "質問「\(question.id)」の答えは\(ja)にしてください。", en: "the answer to question \"\(question.id)\" must be \(en)."))
        }
        switch (question.kind, node.value) {
        case (.boolean, .bool(let flag)): return .success(.boolean(flag))
        case (.boolean, _): return wrong("true か false", "true or false")
        case (.singleChoice, .string(let text)): return .success(.choice(text))
        case (.singleChoice, _): return wrong("選択肢の値(文字列)", "a choice value (text)")
        case (.multipleChoice, .array(let items)):
            var values: [String] = []
            for item in items {
                guard case .string(let text) = item.value else { return wrong("選択肢の値のリスト", "a list of choice values") }
                values.append(text)
            }
            return .success(.choices(values))
        case (.multipleChoice, _): return wrong("選択肢の値のリスト", "a list of choice values")
        case (.number, .number(let number)): return .success(.number(number))
        case (.number, _): return wrong("数", "a number")
        case (.date, .string(let text)):
            guard let date = CalendarDate(iso: text) else { return wrong("YYYY-MM-DD の日付(和暦でなく)", "a YYYY-MM-DD date (not 和暦)") }
            return .success(.date(date))
        case (.date, _): return wrong("YYYY-MM-DD の日付", "a YYYY-MM-DD date")
        case (.text, .string(let text)): return .success(.text(text))
        case (.text, _): return wrong("文字列", "text")
        case (.confirmIdentity, .object(let members)):
            let changed = members.first { $0.key == "addressChanged" }?.value
            let address = members.first { $0.key == "newAddress" }?.value
            guard case .bool(let flag)? = changed?.value,
                members.allSatisfy({ ["addressChanged", "newAddress"].contains($0.key) })
            else { return wrong("{\"addressChanged\": true/false, \"newAddress\": \"…\"}", "{\"addressChanged\": true/false, \"newAddress\": \"…\"}") }
            if let address {
                guard case .string(let text) = address.value else { return wrong("newAddress が文字列のもの", "an object whose newAddress is text") }
                return .success(.identity(addressChanged: flag, newAddress: text))
            }
            return .success(.identity(addressChanged: flag, newAddress: nil))
        case (.confirmIdentity, _): return wrong("{\"addressChanged\": …}", "{\"addressChanged\": …}")
        case (.repeatGroup(let nested, _, _, _, _), .array(let items)):
            var converted: [[String: AnswerValue]] = []
            for item in items {
                guard case .object(let members) = item.value else { return wrong("オブジェクトのリスト", "a list of objects") }
                var values: [String: AnswerValue] = [:]
                for member in members {
                    guard let inner = nested.first(where: { $0.id == member.key }) else {
                        return .failure(AnswerError(.unknownNestedQuestion, question: question.id,
                                                    ja: "質問「\(question.id)」に「\(member.key)」という質問はありません。",
                                                    en: "question \"\(question.id)\" has no nested question \"\(member.key)\"."))
                    }
                    switch answerValue(member.value, for: inner) {
                    case .success(let value): values[member.key] = value
                    case .failure(let error): return .failure(error)
                    }
                }
                converted.append(values)
            }
            return .success(.items(converted))
        case (.repeatGroup, _): return wrong("オブジェクトのリスト", "a list of objects")
        }
    }
}
