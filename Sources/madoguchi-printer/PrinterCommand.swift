import ArgumentParser
import CLISupport
import Foundation
import MadoguchiCore
import Printing
import Rendering

/// `madoguchi printer …` (the helper `madoguchi-printer`): the CUPS queues.
@main
struct PrinterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi printer",
        abstract: "プリンター(CUPS) / Printers (CUPS).",
        version: MadoguchiVersion.string,
        subcommands: [List.self, TestPage.self])

    /// `madoguchi printer list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CUPS のプリンターキューを表示します / List the CUPS queues.")

        func run() throws {
            let queues: [PrinterQueue]
            do {
                queues = try CUPSClient.queues()
            } catch {
                Output.error(error.description)
                throw ExitCode(69)  // EX_UNAVAILABLE
            }
            if queues.isEmpty {
                print(BilingualText(ja: "プリンターキューがありません。", en: "No printer queues."))
            }
            for queue in queues {
                let state = switch queue.state {
                case 3: "idle"
                case 4: "processing"
                case 5: "stopped"
                default: "unknown"
                }
                let reasons = queue.stateReasons.isEmpty ? "" : " [\(queue.stateReasons.joined(separator: ", "))]"
                print("\(queue.isDefault ? "*" : " ") \(queue.name)  \(state)\(reasons)  \(queue.info ?? "")")
            }
        }
    }

    /// `madoguchi printer test-page`
    struct TestPage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test-page",
            abstract: "日本語のテストページを印刷します / Print a Japanese test page.",
            discussion: "PDF は Cairo/Pango で作成し、CUPS に送ります。 / The PDF is drawn with Cairo/Pango and sent to CUPS.")

        @Option(help: "CUPS のキュー(省略時は既定) / CUPS queue (default: the server's default).")
        var queue: String?

        @Option(help: "完了を待つ秒数 / Seconds to wait for the job to finish.")
        var timeout: Double = 60

        func validate() throws {
            guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds.") }
        }

        func run() async throws {
            let path = NSTemporaryDirectory() + "madoguchi-test-page-\(UUID().uuidString).pdf"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let target: String
            let job: Int
            do {
                let report = try TextProbe.renderPDF(
                    "窓口 テストページ / Madoguchi test page", family: "BIZ UDGothic", pointSize: 20, pdfPath: path)
                if report.unknownGlyphs > 0 {
                    Output.error("warning: \(report.unknownGlyphs) characters had no glyph; check the fonts (scripts/bootstrap).")
                }
                guard let chosen = try queue ?? CUPSClient.queues().first(where: \.isDefault)?.name else {
                    Output.error(
                        BilingualText(
                            ja: "既定のプリンターがありません。--queue で指定してください。",
                            en: "There is no default printer. Name one with --queue.").description)
                    throw ExitCode(64)  // EX_USAGE
                }
                target = chosen
                // The job title names the kind of job only: never personal data.
                job = try CUPSClient.submit(file: path, to: target, title: "madoguchi-test-page")
            } catch let error as RenderingError {
                Output.error(error.description)
                throw ExitCode(70)  // EX_SOFTWARE
            } catch let error as PrintingError {
                Output.error(error.description)
                throw ExitCode(69)  // EX_UNAVAILABLE
            }
            Output.line(BilingualText(ja: "送信しました: \(target)-\(job)", en: "Sent: \(target)-\(job)"))
            let deadline = ContinuousClock.now + .seconds(timeout)
            var state: PrintJobState?
            while ContinuousClock.now < deadline {
                state = try? CUPSClient.jobState(queue: target, id: job)
                if state?.isFinal == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            switch state {
            case .completed:
                Output.line(BilingualText(ja: "印刷ジョブが完了しました。", en: "The print job completed."))
            case let other:
                Output.error(
                    BilingualText(
                        ja: "印刷ジョブが完了しませんでした(状態: \(other.map { "\($0)" } ?? "不明"))。プリンターを確認してください。",
                        en: "The print job did not complete (state: \(other.map { "\($0)" } ?? "unknown")). Check the printer."
                    ).description)
                throw ExitCode(1)
            }
        }
    }
}
