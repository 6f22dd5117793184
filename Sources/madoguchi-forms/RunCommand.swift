import ArgumentParser
import CLISupport
import Contracts
import Flows
import Foundation
import MadoguchiCore

extension FormsCommand {
    /// `madoguchi forms run ID [ANSWERS] [--json]`
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "フォームを端末で実行します / Run a form in the terminal.",
            discussion: """
                回答ファイルを渡すと無人で実行し、結果を表示します(--json で JSON)。渡さないと一問ずつ質問します: \
                「<」で一つ戻る、空行で任意の質問を飛ばす、Ctrl-D で中止。
                With an answer file, runs unattended and prints the outcome (--json for JSON). Without one, asks each \
                question in turn: "<" goes back, an empty line skips an optional question, Ctrl-D stops.
                Exit status: 0 done, 1 the answers or the bundle have errors, 2 bad arguments, 130 stopped.
                """)

        @OptionGroup var source: BundleAnswerOptions

        @Flag(help: "結果を JSON で出力します / Print the outcome as JSON.")
        var json = false

        @Option(help: "対話実行のモード / Mode of an interactive run: resident, staff or vehicle.")
        var mode: String = "staff"

        @Option(help: "対話実行のカード情報(madoguchi card read --json の出力) / Card data for an interactive run (madoguchi card read --json output).")
        var identity: String?

        var lang: Language { source.lang }

        func run() throws {
            let loaded = try source.loadBundle()
            let sessionDate = try source.sessionDate()
            if let path = source.answers {
                let result = try source.run(path, loaded.bundle, today: sessionDate)
                if json {
                    FileHandle.standardOutput.write(Data(result.outcome.json.utf8))
                } else {
                    Summary.print(result.outcome, bundle: loaded.bundle)
                }
            } else {
                try runInteractive(loaded.bundle, today: sessionDate)
            }
        }

        private func runInteractive(_ bundle: FormBundle, today: CalendarDate) throws {
            guard let kioskMode = KioskMode(rawValue: mode) else {
                Output.error(lang.text(BilingualText(
                    ja: "--mode は resident、staff、vehicle のどれかにしてください。", en: "--mode must be resident, staff or vehicle.")))
                throw ExitCode(2)
            }
            var card = ExpressionValue.null
            if let identity {
                guard let node = Bundles.node(identity), let value = IdentityFile.value(node) else {
                    Output.error(lang.text(BilingualText(
                        ja: "--identity のファイルにカード情報(identity)がありません。madoguchi card read --json の出力を渡してください。",
                        en: "the --identity file holds no card data (identity); pass the output of madoguchi card read --json.")))
                    throw ExitCode(2)
                }
                card = value
            }
            var run: FlowRun
            do throws(AnswerError) {
                run = try FlowRun(bundle: bundle, mode: kioskMode, today: today, identity: card)
            } catch {
                Output.error(lang.text(error.message) + " (--identity)")
                throw ExitCode(2)
            }
            var prompter = TerminalPrompter(bundle: bundle)
            try prompter.ask(&run)
            Output.line("")
            if json {
                FileHandle.standardOutput.write(Data(run.outcome().json.utf8))
            } else {
                Summary.print(run.outcome(), bundle: bundle)
            }
        }
    }
}

/// The `identity` object of `madoguchi card read --json` (or an answer file).
enum IdentityFile {
    static func value(_ node: DataNode) -> ExpressionValue? {
        let identity = node["identity"] ?? node
        guard case .string(let birthDate)? = identity["birthDate"]?.value, let date = CalendarDate(iso: birthDate) else { return nil }
        var object: [String: ExpressionValue] = ["birthDate": .date(date)]
        for key in ["name", "address", "birth", "birthWareki"] {
            if case .string(let text)? = identity[key]?.value { object[key] = .text(text) }
        }
        if case .string(let code)? = identity["sex"]?["code"]?.value { object["sex"] = .object(["code": .text(code)]) }
        return .object(object)
    }
}

/// A readable outcome.
enum Summary {
    static func print(_ outcome: Outcome, bundle: FormBundle) {
        Output.line("\(bundle.text(bundle.title)) / \(bundle.text(bundle.title, in: .en)) — \(outcome.form) v\(outcome.version) (\(outcome.mode.rawValue))")
        for result in outcome.procedures {
            guard let procedure = bundle.procedures.first(where: { $0.id == result.id }) else { continue }
            let mark = switch result.result {
            case .applies: "● 対象 / applies"
            case .doesNotApply: "- 対象外 / does not apply"
            case .counterWillConfirm: "? 窓口で確認します / the counter will confirm"
            }
            var line = "\(mark): \(bundle.text(procedure.title)) / \(bundle.text(procedure.title, in: .en))"
            if result.result != .doesNotApply {
                line += " — \(bundle.text(procedure.counter))"
                if let due = result.dueDate { line += " — 期限 / due \(WarekiDate(gregorianYear: due.year, month: due.month, day: due.day)?.text ?? "") (\(due))" }
                if !result.waitingFor.isEmpty { line += " — 職員の質問 / staff questions: \(result.waitingFor.joined(separator: ", "))" }
            }
            Output.line(line)
        }
        if !outcome.print.isEmpty { Output.line("印刷 / print: \(outcome.print.joined(separator: ", "))") }
    }
}
