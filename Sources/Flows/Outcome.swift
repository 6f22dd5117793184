public import MadoguchiCore

/// What a flow decided (`docs/contracts/answers-and-outcome.md`, "Outcome").
public struct Outcome: Sendable, Hashable {
    /// The decision on one procedure.
    public enum Result: String, Sendable, Hashable, CaseIterable {
        /// `applies` is true.
        case applies
        /// `applies` is false or null.
        case doesNotApply
        /// `applies` is unknown: it waits for staff questions.
        case counterWillConfirm
    }

    /// One procedure's line.
    public struct ProcedureResult: Sendable, Hashable {
        /// The procedure id.
        public var id: String
        /// The decision.
        public var result: Result
        /// The due date, when there is one.
        public var dueDate: CalendarDate?
        /// Documents it prints (empty when it does not apply).
        public var documents: [String]
        /// `counterWillConfirm` only: the staff questions that decide it.
        public var waitingFor: [String]
    }

    /// The bundle id.
    public var form: String
    /// Its version.
    public var version: Int
    /// The mode.
    public var mode: KioskMode
    /// Every procedure, in flow order.
    public var procedures: [ProcedureResult]
    /// Every computed value, in the flow's evaluation order (null for null or unknown).
    public var computed: [(name: String, value: ExpressionValue)]
    /// What to print, in order.
    public var print: [String]
    /// The counters to visit, in order, each with the procedures it handles (those that
    /// apply or wait for the counter): the checklist's route through the town hall.
    public var visits: [(counter: String, procedures: [String])] = []
    /// For each document to print, the values its bindings take (`identity.*`, `answers.*`,
    /// `computed.*`; `submission.*` is filled when the submission is made), in item order.
    public var documentData: [(document: String, values: [(path: String, value: ExpressionValue)])] = []

    /// Equality of every field.
    public static func == (lhs: Outcome, rhs: Outcome) -> Bool {
        lhs.form == rhs.form && lhs.version == rhs.version && lhs.mode == rhs.mode && lhs.procedures == rhs.procedures
            && lhs.computed.map(\.name) == rhs.computed.map(\.name) && lhs.computed.map(\.value) == rhs.computed.map(\.value)
            && lhs.print == rhs.print && lhs.json == rhs.json
    }

    /// Hashes the procedures.
    public func hash(into hasher: inout Hasher) { hasher.combine(procedures) }

    /// The outcome as JSON in the contract's shape, keys in the contract's order.
    public var json: String {
        var lines: [String] = ["{"]
        lines.append("  \"form\": \(JSONText.string(form)),")
        lines.append("  \"version\": \(version),")
        lines.append("  \"mode\": \(JSONText.string(mode.rawValue)),")
        lines.append("  \"procedures\": [")
        for (index, procedure) in procedures.enumerated() {
            var fields = ["\"id\": \(JSONText.string(procedure.id))", "\"result\": \(JSONText.string(procedure.result.rawValue))"]
            if procedure.result == .counterWillConfirm {
                fields.append("\"waitingFor\": [\(procedure.waitingFor.map(JSONText.string).joined(separator: ", "))]")
            }
            if let due = procedure.dueDate { fields.append("\"dueDate\": \(JSONText.string(due.description))") }
            fields.append("\"documents\": [\(procedure.documents.map(JSONText.string).joined(separator: ", "))]")
            lines.append("    {\(fields.joined(separator: ", "))}" + (index + 1 < procedures.count ? "," : ""))
        }
        lines.append("  ],")
        let computedFields = computed.map { "\(JSONText.string($0.name)): \(JSONText.value($0.value))" }
        lines.append("  \"computed\": {\(computedFields.joined(separator: ", "))},")
        lines.append("  \"print\": [\(print.map(JSONText.string).joined(separator: ", "))],")
        lines.append("  \"visits\": [")
        for (index, visit) in visits.enumerated() {
            let procedures = visit.procedures.map(JSONText.string).joined(separator: ", ")
            lines.append("    {\"counter\": \(JSONText.string(visit.counter)), \"procedures\": [\(procedures)]}" + (index + 1 < visits.count ? "," : ""))
        }
        lines.append("  ],")
        lines.append("  \"documentData\": {")
        for (index, entry) in documentData.enumerated() {
            let values = entry.values.map { "\(JSONText.string($0.path)): \(JSONText.value($0.value))" }.joined(separator: ", ")
            lines.append("    \(JSONText.string(entry.document)): {\(values)}" + (index + 1 < documentData.count ? "," : ""))
        }
        lines.append("  }")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Minimal JSON text for outcomes, answer files and submissions: strings escaped as JSON
/// requires (UTF-8 kept as is), values in the contracts' shapes.
public enum JSONText {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// An expression value as JSON (objects with sorted keys).
    public static func value(_ value: ExpressionValue) -> String {
        switch value {
        case .null, .unknown: "null"
        case .boolean(let flag): flag ? "true" : "false"
        case .number(let number): ExpressionPrinter.number(number)
        case .text(let text): string(text)
        case .date(let date): string(date.description)
        case .list(let values): "[" + values.map(Self.value).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\(string($0.key)): \(Self.value($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}

extension FlowRun {
    /// `identity.name` as a reference.
    static func reference(_ path: String) -> ExpressionReference {
        let parts = path.split(separator: ".").map(String.init)
        let root = ExpressionReference.Root(rawValue: parts.first ?? "") ?? .answers
        return ExpressionReference(root, Array(parts.dropFirst()))
    }

    /// The outcome of the answers so far (final once `isFinished`): each procedure's
    /// decision, due date, documents and the staff questions it waits for; the computed
    /// values; what to print.
    public func outcome() -> Outcome {
        var environment = RunEnvironment(run: self, limit: 0)
        environment.fill(upTo: bundle.questions.count)
        let computedByName = Dictionary(bundle.computed.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let questionIndex = Dictionary(bundle.questions.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })

        func waiting(on expression: Expression, seen: inout Set<String>) -> Set<Int> {
            var result = Set<Int>()
            for (reference, _) in expression.references {
                guard let name = reference.names.first else { continue }
                switch reference.root {
                case .answers:
                    guard let index = questionIndex[name], !seen.contains(name) else { continue }
                    seen.insert(name)
                    guard environment.values["answers." + name] == .unknown else { continue }
                    let question = bundle.questions[index]
                    var partial = RunEnvironment(run: self, limit: 0)
                    partial.fill(upTo: index)
                    let whenDecision = question.when.map { $0.expression.evaluate(in: partial).decision } ?? .yes
                    if whenDecision == .unknown, let when = question.when {
                        result.formUnion(waiting(on: when.expression, seen: &seen))
                    } else if question.answeredBy == .staff {
                        result.insert(index)
                    }
                case .computed:
                    guard !seen.contains("computed." + name), let value = computedByName[name] else { continue }
                    seen.insert("computed." + name)
                    result.formUnion(waiting(on: value.expression.expression, seen: &seen))
                default:
                    continue
                }
            }
            return result
        }

        var procedures: [Outcome.ProcedureResult] = []
        for procedure in bundle.procedures {
            let result: Outcome.Result
            switch procedure.applies.expression.evaluate(in: environment).decision {
            case .yes: result = .applies
            case .no: result = .doesNotApply
            case .unknown: result = .counterWillConfirm
            }
            var due: CalendarDate?
            if result != .doesNotApply, let deadline = procedure.deadline,
                case .date(let start) = deadline.from.expression.evaluate(in: environment)
            {
                due = deadline.deadline.dueDate(from: start)
            }
            var seen = Set<String>()
            let waitingFor = result == .counterWillConfirm
                ? waiting(on: procedure.applies.expression, seen: &seen).sorted().map { bundle.questions[$0].id } : []
            procedures.append(Outcome.ProcedureResult(
                id: procedure.id, result: result, dueDate: due,
                documents: result == .doesNotApply ? [] : procedure.documents, waitingFor: waitingFor))
        }
        let computed = bundle.computed.map { value -> (name: String, value: ExpressionValue) in
            let result = value.expression.expression.evaluate(in: environment)
            return (value.name, result == .unknown ? .null : result)
        }
        var print: [String] = bundle.checklist.map { [$0] } ?? []
        for procedure in procedures where procedure.result != .doesNotApply {
            for document in procedure.documents where !print.contains(document) { print.append(document) }
        }
        var outcome = Outcome(form: bundle.id, version: bundle.version, mode: mode, procedures: procedures, computed: computed, print: print)
        for (procedure, result) in zip(bundle.procedures, procedures) where result.result != .doesNotApply {
            if let index = outcome.visits.firstIndex(where: { $0.counter == procedure.counter }) {
                outcome.visits[index].procedures.append(procedure.id)
            } else {
                outcome.visits.append((procedure.counter, [procedure.id]))
            }
        }
        for id in print {
            guard let document = bundle.documents[id] else { continue }
            var values: [(path: String, value: ExpressionValue)] = []
            for binding in document.bindings where binding.table == nil && !binding.path.hasPrefix("submission.") {
                guard !values.contains(where: { $0.path == binding.path }) else { continue }
                let value = Expression(.reference(Self.reference(binding.path)), offset: 1).evaluate(in: environment)
                values.append((binding.path, value == .unknown ? .null : value))
            }
            outcome.documentData.append((id, values))
        }
        return outcome
    }
}
