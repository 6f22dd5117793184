public import Flows
import MadoguchiCore
public import MyNumberCard

/// Makes the submission body the outbox stores from a finished session
/// (docs/contracts/submission.md): every member but `print`, which the outbox adds once the
/// print has ended. Keys in the contract's order; the same draft always gives the same bytes.
public enum SubmissionComposer {
    /// The body as UTF-8 JSON text.
    /// - Parameters:
    ///   - draft: the finished run and the identity read from the card.
    ///   - id: the submission id (lower-case canonical UUID).
    ///   - kioskId: `[kiosk] id`.
    ///   - createdAt: RFC 3339 with offset, Japan time (`2026-01-09T10:15:30+09:00`).
    public static func body(_ draft: SubmissionDraft, id: String, kioskId: String, createdAt: String) -> String {
        let run = draft.run
        var members = [
            "\"schemaVersion\": 1",
            "\"id\": \(JSONText.string(id))",
            "\"kioskId\": \(JSONText.string(kioskId))",
            "\"madoguchiVersion\": \(JSONText.string(MadoguchiVersion.string))",
            "\"form\": {\"id\": \(JSONText.string(run.bundle.id)), \"version\": \(run.bundle.version)}",
            "\"createdAt\": \(JSONText.string(createdAt))",
        ]
        if run.bundle.identity != .none { members.append("\"identity\": \(identity(draft.identity))") }
        members.append("\"answers\": \(answers(run.answers))")
        var outcome = run.outcome().json
        while outcome.last == "\n" { outcome.removeLast() }
        members.append("\"outcome\": \(outcome)")
        return "{\n  " + members.joined(separator: ",\n  ") + "\n}\n"
    }

    /// The Identity shape of card-output.md.
    public static func identity(_ identity: ResidentIdentity) -> String {
        let sex = "{\"code\": \(JSONText.string(identity.sex.code)), \"meaning\": {\"ja\": \(JSONText.string(identity.sex.meaning.ja)), \"en\": \(JSONText.string(identity.sex.meaning.en))}}"
        return "{\"name\": \(JSONText.string(identity.name)), \"address\": \(JSONText.string(identity.address)), "
            + "\"birth\": \(JSONText.string(identity.birth)), \"birthDate\": \(JSONText.string(identity.birthDate)), "
            + "\"birthWareki\": \(JSONText.string(identity.birthWareki)), \"sex\": \(sex)}"
    }

    /// Answers by question id, in the answer file's shapes (answers-and-outcome.md).
    public static func answers(_ answers: [String: AnswerValue]) -> String {
        "{" + answers.sorted { $0.key < $1.key }.map { "\(JSONText.string($0.key)): \(value($0.value))" }.joined(separator: ", ") + "}"
    }

    /// One answer as JSON.
    public static func value(_ answer: AnswerValue) -> String {
        switch answer {
        case .boolean(let flag): flag ? "true" : "false"
        case .choice(let choice): JSONText.string(choice)
        case .choices(let choices): "[" + choices.map(JSONText.string).joined(separator: ", ") + "]"
        case .number(let number): JSONText.value(.number(number))
        case .date(let date): JSONText.string(date.description)
        case .text(let text): JSONText.string(text)
        case .identity(let changed, let newAddress):
            if changed, let newAddress {
                "{\"addressChanged\": true, \"newAddress\": \(JSONText.string(newAddress))}"
            } else {
                "{\"addressChanged\": \(changed)}"
            }
        case .items(let items): "[" + items.map(answers).joined(separator: ", ") + "]"
        }
    }
}
