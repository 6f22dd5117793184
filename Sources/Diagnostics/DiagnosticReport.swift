#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MadoguchiCore

/// Everything `madoguchi diag` found, section by section; pure, so its marks, exit status,
/// lines and JSON (`schemas/diag.schema.json`) test without any device.
public struct DiagnosticReport: Sendable, Hashable {
    public var sections: [DiagnosticSection]

    /// A report of `sections`, in the order shown.
    public init(sections: [DiagnosticSection]) {
        self.sections = sections
    }

    /// The report's overall result: a failure if any check failed, else a warning if any
    /// warned, else ok (skipped checks do not count).
    public var status: DiagnosticMark {
        let worst = sections.flatMap(\.checks).map(\.mark).max() ?? .ok
        return worst == .skipped ? .ok : worst
    }

    /// The exit status: 0 all ok, 1 a warning, 2 a failure.
    public var exitStatus: Int32 {
        switch status {
        case .ok, .skipped: 0
        case .warning: 1
        case .failure: 2
        }
    }

    /// The report for people: a heading per section, a line per check (`✓ ja / en`), and
    /// for ⚠ and ✗ the next step indented below (`→ ja`, `→ en`).
    public func lines() -> [String] {
        var lines: [String] = []
        for section in sections {
            lines.append("== \(section.title.ja) / \(section.title.en)")
            for check in section.checks { lines += Self.lines(check) }
        }
        let summary: BilingualText =
            switch status {
            case .ok, .skipped: BilingualText(ja: "すべて正常です。", en: "All checks passed.")
            case .warning: BilingualText(ja: "注意が必要な項目があります(⚠)。", en: "Some checks need attention (⚠).")
            case .failure: BilingualText(ja: "動かない項目があります(✗)。", en: "Some checks failed (✗).")
            }
        lines.append("\(status == .skipped ? DiagnosticMark.ok.symbol : status.symbol) \(summary.ja) / \(summary.en)")
        return lines
    }

    /// One check: its mark and sentence, then its next step (Japanese, then English).
    public static func lines(_ check: DiagnosticCheck) -> [String] {
        var lines = ["\(check.mark.symbol) \(check.text.ja) / \(check.text.en)"]
        if let next = check.next {
            lines.append("    → \(next.ja)")
            lines.append("    → \(next.en)")
        }
        return lines
    }

    /// The `--json` document (`schemas/diag.schema.json`), pretty-printed, UTF-8 as is.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and enums cannot fail.
        let data = (try? encoder.encode(Document(self))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The JSON shape, with `next` written as null rather than left out.
    struct Document: Encodable {
        var status: DiagnosticMark
        var sections: [Section]

        init(_ report: DiagnosticReport) {
            status = report.status == .skipped ? .ok : report.status
            sections = report.sections.map { section in
                Section(
                    id: section.id, title: section.title,
                    checks: section.checks.map { Check(id: $0.id, mark: $0.mark, ja: $0.text.ja, en: $0.text.en, next: $0.next) })
            }
        }

        struct Section: Encodable {
            var id: String
            var title: BilingualText
            var checks: [Check]
        }

        struct Check: Encodable {
            var id: String
            var mark: DiagnosticMark
            var ja: String
            var en: String
            var next: BilingualText?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(mark, forKey: .mark)
                try container.encode(ja, forKey: .ja)
                try container.encode(en, forKey: .en)
                try container.encode(next, forKey: .next)
            }

            enum CodingKeys: String, CodingKey { case id, mark, ja, en, next }
        }
    }
}
