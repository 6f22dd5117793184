import ArgumentParser
import CLISupport
import Contracts
import Documents
import Flows
import Foundation
import MadoguchiCore
import Rendering

extension FormsCommand {
    /// `madoguchi forms preview ID [ANSWERS] --answers FILE --out DIR`
    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "回答ファイルで文書を描き、PDF とページごとの PNG を書きます / Draw a form's documents from an answer file, as PDF and a PNG per page.",
            discussion: """
                公開前に職員が文書を確かめるためのものです。結果が印刷するとしている文書(チェックリストと申請書)を \
                DIR/<文書>.pdf と DIR/<文書>-<ページ>.png に書きます。フォントにない文字や枠に収まらない項目は警告します。
                For a clerk to check a form before it goes live. Writes each document the outcome prints (the checklist \
                and the applications) to DIR/<document>.pdf and DIR/<document>-<page>.png, and warns about fields with \
                characters no font has or values too long for their box.
                Exit status: 0 written (warnings may be shown), 1 the bundle, answers or drawing failed, 64 bad arguments.
                """)

        @OptionGroup var source: BundleAnswerOptions

        @Option(help: "書き出すフォルダー(なければ作ります) / The folder to write to (made when missing).")
        var out: String

        @Option(help: "チェックリストなどの言語 / Language of session-language documents: ja, en or ja-easy.")
        var language: String = "ja"

        @Option(help: "PNG の解像度 / PNG resolution in dots per inch (36–600).")
        var dpi: Double = 100

        @Option(help: "QR コードに入れる受付番号 / The submission id the QR code carries.")
        var submissionId: String = "00000000-0000-4000-8000-000000000000"

        var lang: Language { source.lang }

        func validate() throws {
            guard source.answers != nil else {
                throw ValidationError("回答ファイルを渡してください(--answers FILE) / Give an answer file (--answers FILE).")
            }
            guard BundleLanguage(rawValue: language) != nil else {
                throw ValidationError("--language は ja、en、ja-easy のどれかにしてください / --language must be ja, en or ja-easy.")
            }
            guard (36...600).contains(dpi) else {
                throw ValidationError("--dpi は 36〜600 にしてください / --dpi must be from 36 to 600.")
            }
            if let today = source.today, CalendarDate(iso: today) == nil {
                throw ValidationError("--today は YYYY-MM-DD の日付にしてください(例: 2026-01-09) / --today must be a YYYY-MM-DD date (e.g. 2026-01-09).")
            }
        }

        func run() throws {
            let loaded = try source.loadBundle()
            let run = try source.run(source.answers ?? "", loaded.bundle, today: try source.sessionDate()).run
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                Output.error(lang.text(BilingualText(
                    ja: "フォルダー「\(out)」を作れません: \(error.localizedDescription)", en: "cannot make the folder \"\(out)\": \(error.localizedDescription)")))
                throw ExitCode(1)
            }
            let input = DocumentInput(
                run: run, submissionID: submissionId, createdAt: "\(run.today)T09:00:00+09:00",
                language: BundleLanguage(rawValue: language) ?? .ja)
            let renderer = DocumentRenderer()
            var flagged = 0
            for id in input.outcome.print {
                guard let document = loaded.bundle.documents[id] else { continue }
                let template: DocumentTemplate
                do throws(DocumentError) {
                    template = try DocumentTemplate(document)
                } catch {
                    Output.error(lang.text(error.message).replacingOccurrences(of: "\n", with: " ") + " (\(error.location))")
                    throw ExitCode(1)
                }
                let composed = renderer.compose(template, input)
                let pdf = out + "/" + id + ".pdf"
                do throws(RenderingError) {
                    let report = try renderer.writePDF(composed, to: pdf)
                    var written = [pdf]
                    for page in composed.pages.indices {
                        let png = "\(out)/\(id)-\(page + 1).png"
                        try renderer.writePNG(composed, page: page, dpi: dpi, to: png)
                        written.append(png)
                    }
                    Output.line("\(composed.title) — \(composed.page) × \(report.pages): \(written.joined(separator: ", "))")
                    for flag in report.flags {
                        flagged += 1
                        let location = template.items.first { $0.number == flag.field.item }?.location.description ?? id
                        Output.error("\(location): warning: \(lang.text(flag.message))")
                    }
                } catch {
                    Output.error(lang.text(BilingualText(ja: "「\(id)」を描けません: \(error)", en: "cannot draw \"\(id)\": \(error)")))
                    throw ExitCode(1)
                }
            }
            if flagged > 0 {
                Output.error(lang.text(BilingualText(
                    ja: "確認の必要な項目が \(flagged) 件あります。", en: "\(flagged) field(s) need checking.")))
            }
        }
    }
}
