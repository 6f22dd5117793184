public import Foundation
public import MadoguchiCore

/// What happened at the printer, as the submission's `print` member carries it
/// (docs/contracts/submission.md). None of it is personal data, so the outbox keeps it in
/// clear beside the encrypted body.
public struct PrintRecord: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// The printer reported the sheets.
        case confirmed
        /// The spooler finished but the device cannot confirm.
        case assumed
        /// The job did not finish.
        case failed
        /// Nothing was to be printed, or printing was skipped.
        case notPrinted
    }

    public var outcome: Outcome
    public var sheets: Int
    /// IPP keywords without the severity suffix, or `madoguchi-interrupted`.
    public var reasons: [String]
    /// `assumed` only: the resident's answer on the done screen; `nil` when it timed out.
    public var residentConfirmed: Bool?

    public init(outcome: Outcome, sheets: Int, reasons: [String] = [], residentConfirmed: Bool? = nil) {
        self.outcome = outcome
        self.sheets = sheets
        self.reasons = reasons
        self.residentConfirmed = residentConfirmed
    }

    /// Nothing printed.
    public static let notPrinted = PrintRecord(outcome: .notPrinted, sheets: 0)

    /// The kiosk restarted before the print job ended (architecture.md, "order of a finish").
    public static let interrupted = PrintRecord(outcome: .failed, sheets: 0, reasons: [interruptedReason])

    /// The reason recorded for a print that a restart cut short.
    public static let interruptedReason = "madoguchi-interrupted"

    /// Why this record cannot go into a submission, or `nil` when it can.
    public var problem: BilingualText? {
        if sheets < 0 || sheets > 10_000 {
            return BilingualText(
                ja: "印刷結果の枚数 \(sheets) は範囲外です(0〜10000)。",
                en: "The printed sheet count \(sheets) is out of range (0–10000).")
        }
        if let bad = reasons.first(where: { !Self.isKeyword($0) }) {
            return BilingualText(
                ja: "印刷結果の理由「\(bad.prefix(40))」は IPP キーワード(英小文字・数字・-)ではありません。",
                en: "The print reason '\(bad.prefix(40))' is not an IPP keyword (lower-case letters, digits, '-').")
        }
        if residentConfirmed != nil && outcome != .assumed {
            return BilingualText(
                ja: "residentConfirmed は印刷結果が assumed のときだけ記録できます。",
                en: "residentConfirmed belongs only to an assumed print result.")
        }
        return nil
    }

    /// The `print` member as JSON, in a fixed key order so the same record always gives
    /// the same bytes: `{"outcome":"confirmed","sheets":1}`.
    public var json: String {
        var members = ["\"outcome\":\"\(outcome.rawValue)\"", "\"sheets\":\(sheets)"]
        if !reasons.isEmpty {
            members.append("\"reasons\":[" + reasons.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        }
        if let residentConfirmed { members.append("\"residentConfirmed\":\(residentConfirmed)") }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Whether `text` can stand in `reasons`: lower-case letters, digits and `-`, at most 64.
    public static func isKeyword(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// The submission body the outbox stores: every member of the submission except `print`,
/// which is recorded later (architecture.md, "order of a finish") and added when sending.
public enum SubmissionBody {
    /// Checks that `body` is one JSON object whose `id` is `id` and that has no `print`
    /// member; returns the form id and version it names.
    public static func validate(_ body: Data, id: SubmissionID) -> Result<(form: String, version: Int), OutboxError> {
        // First what Foundation would accept but JSON forbids, with its byte offset.
        if let problem = StrictJSON.message(for: body) { return .failure(.invalidBody(problem)) }
        // JSONDecoder reads the whole text (a syntax error anywhere fails) but builds only
        // the members named here, which keeps the enqueue cheap.
        let head: Head
        do {
            head = try JSONDecoder().decode(Head.self, from: body)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            return .failure(.invalidBody(BilingualText(
                ja: "提出データが JSON オブジェクトではありません。", en: "The submission is not a JSON object.")))
        } catch {
            return .failure(.invalidBody(BilingualText(
                ja: "提出データが JSON として読めません。", en: "The submission is not valid JSON.")))
        }
        guard let bodyID = head.id, SubmissionID(bodyID) == id else {
            return .failure(.invalidBody(BilingualText(
                ja: "提出データの id が \(id) ではありません。", en: "The submission's id is not \(id).")))
        }
        if head.hasPrint {
            return .failure(.invalidBody(BilingualText(
                ja: "提出データに print があります。印刷結果は recordPrint で記録します。",
                en: "The submission has a print member; the print result is recorded with recordPrint.")))
        }
        guard let form = head.form, let version = form.version else {
            return .failure(.invalidBody(BilingualText(
                ja: "提出データに form の id と version がありません。", en: "The submission has no form id and version.")))
        }
        return .success((form.id, version))
    }

    /// The members of a submission the outbox reads; anything of another type counts as absent.
    private struct Head: Decodable {
        var id: String?
        var form: Form?
        var hasPrint: Bool

        struct Form: Decodable {
            var id: String
            var version: Int?

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Key.self)
                id = try container.decode(String.self, forKey: Key("id"))
                // A whole number only: 1.5 or "1" is no version.
                version = try? container.decode(Int.self, forKey: Key("version"))
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            id = try? container.decode(String.self, forKey: Key("id"))
            form = try? container.decode(Form.self, forKey: Key("form"))
            hasPrint = container.contains(Key("print"))
        }
    }

    /// The bytes sent to the back office: `body` with `"print": record` as its last
    /// member. The same body and record always give the same bytes, so every retry is
    /// byte-identical. `body` must have passed `validate`.
    public static func withPrint(_ body: Data, _ record: PrintRecord) -> Data {
        let whitespace: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09]
        var bytes = [UInt8](body)
        while let last = bytes.last, whitespace.contains(last) { bytes.removeLast() }
        precondition(bytes.last == UInt8(ascii: "}"), "a validated body ends with }")
        bytes.removeLast()
        let isEmpty = bytes.last(where: { !whitespace.contains($0) }) == UInt8(ascii: "{")
        bytes.append(contentsOf: Array(((isEmpty ? "" : ",") + "\"print\":" + record.json + "}").utf8))
        return Data(bytes)
    }
}
