import Contracts
import MadoguchiCore

/// Reads `flow.yaml` (already parsed into a `DataNode`) into a `FlowDefinition`, reporting
/// every structural problem with its place (`docs/contracts/form-bundle.md`, `flow.yaml`).
extension NodeReader {
    static let flowKeys = ["id", "version", "title", "extends", "identity", "questions", "computed", "procedures", "checklist", "remove"]
    static let commonQuestionKeys = ["id", "type", "answeredBy", "text", "help", "when", "optional", "after"]
    static let typeKeys: [String: [String]] = [
        "boolean": [],
        "singleChoice": ["choices"],
        "multipleChoice": ["choices", "minSelected", "maxSelected"],
        "number": ["minimum", "maximum", "integer", "unit"],
        "date": ["calendar", "earliest", "latest"],
        "text": ["maxLength", "inputKind"],
        "confirmIdentity": ["fields", "allowAddressChange"],
        "repeat": ["questions", "itemLabel", "addText", "minItems", "maxItems"],
    ]
    static let questionTypes = ["boolean", "singleChoice", "multipleChoice", "number", "date", "text", "confirmIdentity", "repeat"]
    static let nestedTypes = ["boolean", "singleChoice", "multipleChoice", "number", "date", "text"]
    /// Words people write for a type that has another name here.
    static let typeHints: [String: (ja: String, en: String, type: String)] = [
        "yesno": ("はい/いいえの質問は boolean です", "a yes/no question is boolean", "boolean"),
        "yes-no": ("はい/いいえの質問は boolean です", "a yes/no question is boolean", "boolean"),
        "bool": ("はい/いいえの質問は boolean です", "a yes/no question is boolean", "boolean"),
        "choice": ("一つ選ぶ質問は singleChoice です", "a one-choice question is singleChoice", "singleChoice"),
        "select": ("一つ選ぶ質問は singleChoice です", "a one-choice question is singleChoice", "singleChoice"),
        "radio": ("一つ選ぶ質問は singleChoice です", "a one-choice question is singleChoice", "singleChoice"),
        "checkbox": ("いくつも選ぶ質問は multipleChoice です", "a several-choice question is multipleChoice", "multipleChoice"),
        "integer": ("数の質問は number です", "a number question is number", "number"),
        "string": ("文字の質問は text です", "a text question is text", "text"),
        "group": ("繰り返しの質問は repeat です", "a repeated group is repeat", "repeat"),
        "identity": ("カードの確認は confirmIdentity です", "confirming the card is confirmIdentity", "confirmIdentity"),
    ]

    mutating func decodeFlow(_ root: DataNode) -> FlowDefinition? {
        guard let members = mapping(root, .flow, allowed: Self.flowKeys, required: ["id", "version"]) else { return nil }
        let id = named(members["id"]?.value, "id", .flow, .slug)
        let version = integer(members["version"]?.value, "version", .flow, in: 1...1_000_000)
        let extends = named(members["extends"]?.value, "extends", .flow, .slug)
        if extends == nil && members["extends"] == nil {
            for key in ["title", "questions", "procedures"] where members[key] == nil {
                error(
                    .structure, root.location,
                    ja: "flow.yaml に \(key) がありません。extends で他のバンドルを引き継がないときは title、questions、procedures が必要です。",
                    en: "flow.yaml has no \(key); a bundle that does not extend another needs title, questions and procedures.")
            }
            if let remove = members["remove"] {
                error(
                    .extends, remove.keyLocation,
                    ja: "remove は extends で他のバンドルを引き継ぐときだけ使えます。",
                    en: "remove is only allowed in a bundle that extends another.")
            }
        }
        let title = named(members["title"]?.value, "title", .flow, .stringKey)
        let identity = word(members["identity"]?.value, "identity", .flow, as: IdentityRequirement.self)
        var questions: [Question] = []
        if let items = list(members["questions"]?.value, "questions", .flow) {
            if items.count > 200, let node = members["questions"]?.value {
                error(
                    .structure, node.location,
                    ja: "質問は 200 までです(今は \(items.count) あります)。フォームを分けてください。",
                    en: "a flow has at most 200 questions (this one has \(items.count)); split the form.")
            }
            for item in items {
                if let question = decodeQuestion(item, nested: false) { questions.append(question) }
            }
            checkUniqueIds(questions.map { ($0.id, $0.location) }, kind: Subject(ja: "質問", en: "question"))
        }
        var computed: [ComputedValue] = []
        if let node = members["computed"]?.value {
            if case .object(let entries) = node.value {
                for entry in entries {
                    let subject = Subject(ja: "計算値「\(entry.key)」", en: "computed value \"\(entry.key)\"")
                    guard NameRule.name.accepts(entry.key) else {
                        error(
                            .structure, entry.keyLocation,
                            ja: "計算値の名前「\(Self.shown(entry.key))」は使えません。\(NameRule.name.ja)にしてください(式の中ではハイフンが引き算になります)。",
                            en: "the computed name \"\(Self.shown(entry.key))\" is not allowed; use \(NameRule.name.en) (in expressions a hyphen is a minus).")
                        continue
                    }
                    if let expression = expression(entry.value, "computed", subject) {
                        computed.append(ComputedValue(name: entry.key, expression: expression, location: entry.keyLocation))
                    } else {
                        brokenIds.insert(entry.key)
                    }
                }
            } else {
                _ = mapping(node, Subject(ja: "computed", en: "computed"), allowed: [], required: [])
            }
        }
        var procedures: [Procedure] = []
        if let items = list(members["procedures"]?.value, "procedures", .flow) {
            for item in items {
                if let procedure = decodeProcedure(item) { procedures.append(procedure) }
            }
            checkUniqueIds(procedures.map { ($0.id, $0.location) }, kind: Subject(ja: "手続き", en: "procedure"))
        }
        let checklist = named(members["checklist"]?.value, "checklist", .flow, .slug)
        var removals = Removals()
        if let node = members["remove"]?.value, extends != nil || members["extends"] != nil {
            let subject = Subject(ja: "remove", en: "remove")
            if let parts = mapping(node, subject, allowed: ["questions", "computed", "procedures"], required: []) {
                removals.questions = names(parts["questions"]?.value, "questions", subject, .name) ?? []
                removals.computed = names(parts["computed"]?.value, "computed", subject, .name) ?? []
                removals.procedures = names(parts["procedures"]?.value, "procedures", subject, .name) ?? []
            }
        }
        guard let id, let version else { return nil }
        var definition = FlowDefinition(
            id: id, version: version, title: title, extends: extends, identity: identity, questions: questions,
            computed: computed, procedures: procedures, checklist: checklist, remove: removals, location: root.location)
        definition.brokenIds = brokenIds
        return definition
    }

    mutating func checkUniqueIds(_ ids: [(String, FilePosition)], kind: Subject) {
        var seen: [String: FilePosition] = [:]
        for (id, location) in ids {
            if let first = seen[id] {
                let firstLine: String = first.line.map { String($0) } ?? "?"
                error(
                    .duplicateId, location,
                    ja: "\(kind.ja)「\(id)」が二つあります(最初は \(firstLine) 行目)。id を変えてください。",
                    en: "there are two \(kind.en)s \"\(id)\" (the first on line \(firstLine)); give this one another id.")
            } else {
                seen[id] = location
            }
        }
    }

    mutating func decodeQuestion(_ node: DataNode, nested: Bool) -> Question? {
        let idNode = node["id"]
        let rawId: String? = if case .string(let id)? = idNode?.value { id } else { nil }
        let subject = Subject.question(rawId)
        guard case .object = node.value else {
            _ = mapping(node, subject, allowed: [], required: [])
            return nil
        }
        let typeName: String? = if case .string(let type)? = node["type"]?.value { type } else { nil }
        let types = nested ? Self.nestedTypes : Self.questionTypes
        var allowed = Self.commonQuestionKeys.filter { !(nested && $0 == "after") }
        if let typeName, types.contains(typeName) { allowed += Self.typeKeys[typeName] ?? [] } else { allowed += Self.typeKeys.values.flatMap { $0 } }
        let hints: [String: (ja: String, en: String)] = [
            "answeredBy": (
                "\(subject.ja)に answeredBy がありません。answeredBy: resident(住民が答える)か answeredBy: staff(職員が答える)を書いてください。",
                "\(subject.en) does not say who answers it; add answeredBy: resident or answeredBy: staff."
            )
        ]
        guard let members = mapping(node, subject, allowed: allowed, required: ["id", "type", "answeredBy", "text"], hints: hints) else {
            return nil
        }
        let id = named(members["id"]?.value, "id", subject, .name)
        let answeredBy = word(members["answeredBy"]?.value, "answeredBy", subject, as: AnsweredBy.self)
        let text = named(members["text"]?.value, "text", subject, .stringKey)
        let help = named(members["help"]?.value, "help", subject, .stringKey)
        let when = expression(members["when"]?.value, "when", subject)
        let optional = boolean(members["optional"]?.value, "optional", subject) ?? false
        let after = nested ? nil : named(members["after"]?.value, "after", subject, .name)
        var kind: QuestionKind?
        if let typeNode = members["type"]?.value, let type = self.text(typeNode, "type", subject) {
            if types.contains(type) {
                kind = decodeKind(type, members, subject)
            } else if !nested || !["confirmIdentity", "repeat"].contains(type) {
                let hint = Self.typeHints[type.lowercased()]
                let suggestion = hint == nil ? NearMiss.suggestion(for: type, among: types) : nil
                error(
                    .structure, typeNode.location,
                    ja: "\(subject.ja)の type「\(Self.shown(type))」はありません。\(types.joined(separator: "、")) のどれかにしてください\(hint.map { "(\($0.ja))" } ?? suggestion.map { "(「\($0)」ではありませんか?)" } ?? "")。",
                    en: "\(subject.en) has type \"\(Self.shown(type))\", which does not exist; use one of \(types.joined(separator: ", "))\(hint.map { " (\($0.en))" } ?? suggestion.map { " (did you mean \"\($0)\"?)" } ?? "").")
            } else {
                error(
                    .structure, typeNode.location,
                    ja: "repeat の中の\(subject.ja)に type「\(type)」は使えません。\(types.joined(separator: "、")) のどれかにしてください。",
                    en: "\(subject.en) inside a repeat cannot have type \"\(type)\"; use one of \(types.joined(separator: ", ")).")
            }
        }
        guard let id, let kind, let answeredBy, let text else {
            if let rawId { brokenIds.insert(rawId) }
            return nil
        }
        return Question(
            id: id, kind: kind, answeredBy: answeredBy, text: text, help: help, when: when, optional: optional,
            after: after, location: node.location)
    }

    private mutating func decodeChoices(_ members: [String: DataNode.Member], _ subject: Subject, multiple: Bool) -> [Choice]? {
        guard let member = members["choices"] else {
            error(
                .structure, members["type"]?.keyLocation ?? FilePosition(file: ""),
                ja: "\(subject.ja)に choices がありません。選択肢を 2〜30 個書いてください。",
                en: "\(subject.en) has no choices; list 2 to 30 of them.")
            return nil
        }
        guard let items = list(member.value, "choices", subject) else { return nil }
        if !(2...30).contains(items.count) {
            error(
                .structure, member.value.location,
                ja: "\(subject.ja)の選択肢は 2〜30 個にしてください(今は \(items.count) 個です)。",
                en: "\(subject.en) needs 2 to 30 choices, not \(items.count).")
        }
        var choices: [Choice] = []
        for item in items {
            let choiceSubject = Subject(ja: "\(subject.ja)の選択肢", en: "a choice of \(subject.en)")
            let allowed = multiple ? ["value", "text", "exclusive"] : ["value", "text"]
            guard let parts = mapping(item, choiceSubject, allowed: allowed, required: ["value", "text"]) else { continue }
            let value = named(parts["value"]?.value, "value", choiceSubject, .name)
            let text = named(parts["text"]?.value, "text", choiceSubject, .stringKey)
            let exclusive = boolean(parts["exclusive"]?.value, "exclusive", choiceSubject) ?? false
            guard let value, let text else { continue }
            if choices.contains(where: { $0.value == value }) {
                error(
                    .duplicateId, parts["value"]?.value.location ?? item.location,
                    ja: "\(subject.ja)の選択肢「\(value)」が二つあります。value を変えてください。",
                    en: "\(subject.en) has two choices \"\(value)\"; change one value.")
                continue
            }
            choices.append(Choice(value: value, text: text, exclusive: exclusive))
        }
        return choices
    }

    private mutating func decodeKind(_ type: String, _ members: [String: DataNode.Member], _ subject: Subject) -> QuestionKind? {
        switch type {
        case "boolean":
            return .boolean
        case "singleChoice":
            return decodeChoices(members, subject, multiple: false).map { .singleChoice(choices: $0) }
        case "multipleChoice":
            let choices = decodeChoices(members, subject, multiple: true)
            let minimum = integer(members["minSelected"]?.value, "minSelected", subject, in: 0...30) ?? 1
            let maximum = integer(members["maxSelected"]?.value, "maxSelected", subject, in: 1...30)
            if let maximum, maximum < minimum, let node = members["maxSelected"]?.value {
                error(
                    .structure, node.location,
                    ja: "\(subject.ja)の maxSelected(\(maximum))が minSelected(\(minimum))より小さくなっています。",
                    en: "maxSelected (\(maximum)) of \(subject.en) is less than minSelected (\(minimum)).")
            }
            return choices.map { .multipleChoice(choices: $0, minSelected: minimum, maxSelected: maximum) }
        case "number":
            for key in ["minimum", "maximum"] where members[key] == nil {
                error(
                    .structure, members["type"]?.keyLocation ?? FilePosition(file: ""),
                    ja: "\(subject.ja)に \(key) がありません。数の質問には minimum と maximum の両方が必要です。",
                    en: "\(subject.en) has no \(key); a number question needs both minimum and maximum.")
            }
            let minimum = number(members["minimum"]?.value, "minimum", subject)
            let maximum = number(members["maximum"]?.value, "maximum", subject)
            let integerOnly = boolean(members["integer"]?.value, "integer", subject) ?? true
            let unit = named(members["unit"]?.value, "unit", subject, .stringKey)
            guard let minimum, let maximum else { return nil }
            if maximum < minimum, let node = members["maximum"]?.value {
                error(
                    .structure, node.location,
                    ja: "\(subject.ja)の maximum が minimum より小さくなっています。",
                    en: "maximum of \(subject.en) is less than its minimum.")
                return nil
            }
            return .number(minimum: minimum, maximum: maximum, integer: integerOnly, unit: unit)
        case "date":
            let calendar = word(members["calendar"]?.value, "calendar", subject, as: CalendarKind.self) ?? .wareki
            let earliest = expression(members["earliest"]?.value, "earliest", subject)
            let latest = expression(members["latest"]?.value, "latest", subject)
            return .date(calendar: calendar, earliest: earliest, latest: latest)
        case "text":
            let maxLength = integer(members["maxLength"]?.value, "maxLength", subject, in: 1...500) ?? 100
            let inputKind = word(members["inputKind"]?.value, "inputKind", subject, as: TextInputKind.self) ?? .any
            return .text(maxLength: maxLength, inputKind: inputKind)
        case "confirmIdentity":
            var fields = IdentityField.allCases.filter { $0 != .sex }
            if let items = list(members["fields"]?.value, "fields", subject) {
                fields = items.compactMap { word($0, "fields", subject, as: IdentityField.self) }
            }
            let allow = boolean(members["allowAddressChange"]?.value, "allowAddressChange", subject) ?? true
            return .confirmIdentity(fields: fields, allowAddressChange: allow)
        case "repeat":
            if members["maxItems"] == nil {
                error(
                    .structure, members["type"]?.keyLocation ?? FilePosition(file: ""),
                    ja: "\(subject.ja)に maxItems がありません。繰り返しの上限(例: maxItems: 10)を書いてください。",
                    en: "\(subject.en) has no maxItems; say how many items it takes at most (e.g. maxItems: 10).")
            }
            if members["questions"] == nil {
                error(
                    .structure, members["type"]?.keyLocation ?? FilePosition(file: ""),
                    ja: "\(subject.ja)に questions がありません。繰り返す質問を書いてください。",
                    en: "\(subject.en) has no questions; list the questions asked for each item.")
            }
            let minItems = integer(members["minItems"]?.value, "minItems", subject, in: 0...50) ?? 0
            let maxItems = integer(members["maxItems"]?.value, "maxItems", subject, in: 1...50)
            let itemLabel = named(members["itemLabel"]?.value, "itemLabel", subject, .stringKey)
            let addText = named(members["addText"]?.value, "addText", subject, .stringKey)
            var nested: [Question] = []
            if let items = list(members["questions"]?.value, "questions", subject) {
                for item in items {
                    if let question = decodeQuestion(item, nested: true) { nested.append(question) }
                }
                checkUniqueIds(nested.map { ($0.id, $0.location) }, kind: Subject(ja: "\(subject.ja)の中の質問", en: "nested question"))
            }
            guard let maxItems, !nested.isEmpty else { return nil }
            if maxItems < minItems, let node = members["maxItems"]?.value {
                error(
                    .structure, node.location,
                    ja: "\(subject.ja)の maxItems が minItems より小さくなっています。",
                    en: "maxItems of \(subject.en) is less than its minItems.")
            }
            return .repeatGroup(questions: nested, itemLabel: itemLabel, addText: addText, minItems: minItems, maxItems: maxItems)
        default:
            return nil
        }
    }

    mutating func decodeProcedure(_ node: DataNode) -> Procedure? {
        let rawId: String? = if case .string(let id)? = node["id"]?.value { id } else { nil }
        let subject = Subject.procedure(rawId)
        let keys = ["id", "title", "counter", "applies", "bring", "deadline", "documents", "note", "after"]
        guard let members = mapping(node, subject, allowed: keys, required: ["id", "title", "counter", "applies"]) else { return nil }
        let id = named(members["id"]?.value, "id", subject, .name)
        let title = named(members["title"]?.value, "title", subject, .stringKey)
        let counter = named(members["counter"]?.value, "counter", subject, .stringKey)
        let applies = expression(members["applies"]?.value, "applies", subject)
        let bring = names(members["bring"]?.value, "bring", subject, .stringKey) ?? []
        let documents = names(members["documents"]?.value, "documents", subject, .slug) ?? []
        let note = named(members["note"]?.value, "note", subject, .stringKey)
        let after = named(members["after"]?.value, "after", subject, .name)
        var deadline: ProcedureDeadline?
        if let node = members["deadline"]?.value {
            deadline = decodeDeadline(node, subject)
        }
        guard let id, let title, let counter, let applies, members["deadline"] == nil || deadline != nil else {
            if let rawId { brokenIds.insert(rawId) }
            return nil
        }
        return Procedure(
            id: id, title: title, counter: counter, applies: applies, bring: bring, deadline: deadline,
            documents: documents, note: note, after: after, location: node.location)
    }

    private mutating func decodeDeadline(_ node: DataNode, _ owner: Subject) -> ProcedureDeadline? {
        let subject = Subject(ja: "\(owner.ja)の期限", en: "the deadline of \(owner.en)")
        let keys = ["days", "months", "years", "from", "firstDayCounts", "text"]
        guard let members = mapping(node, subject, allowed: keys, required: ["from", "text"]) else { return nil }
        let present = ["days", "months", "years"].filter { members[$0] != nil }
        if present.count != 1 {
            let both = present.joined(separator: " と ")
            error(
                .structure, present.count > 1 ? (members[present[1]]?.keyLocation ?? node.location) : node.location,
                ja: present.isEmpty
                    ? "\(subject.ja)に days、months、years のどれかを書いてください。"
                    : "\(subject.ja)は days、months、years のどれか一つだけにしてください(今は \(both) の\(present.count == 2 ? "両方" : "すべて")があります)。",
                en: present.isEmpty
                    ? "\(subject.en) needs one of days, months or years."
                    : "\(subject.en) has both \(present.joined(separator: " and ")); keep exactly one of days, months or years.")
        }
        let from = expression(members["from"]?.value, "from", subject)
        let text = named(members["text"]?.value, "text", subject, .stringKey)
        let firstDayCounts = boolean(members["firstDayCounts"]?.value, "firstDayCounts", subject) ?? true
        var period: Deadline.Period?
        if let days = integer(members["days"]?.value, "days", subject, in: 1...3650) { period = .days(days) }
        if let months = integer(members["months"]?.value, "months", subject, in: 1...120) { period = .months(months) }
        if let years = integer(members["years"]?.value, "years", subject, in: 1...10) { period = .years(years) }
        guard present.count == 1, let period, let from, let text else { return nil }
        return ProcedureDeadline(deadline: Deadline(period: period, firstDayCounts: firstDayCounts), from: from, text: text)
    }
}
