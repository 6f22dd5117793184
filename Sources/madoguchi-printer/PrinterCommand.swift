import ArgumentParser
import CLISupport
import Documents
import Foundation
import MadoguchiCore
import Printing
import Rendering

/// The helper behind `madoguchi printer …` and `madoguchi print …` (CUPS, Cairo/Pango).
@main
struct PrinterProgram: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "プリンター(CUPS) / Printers (CUPS).",
        version: MadoguchiVersion.string,
        subcommands: [PrinterCommand.self, PrintCommand.self, ScreensCommand.self])
}

/// Which queue, on which server.
struct QueueOptions: ParsableArguments {
    @Option(help: "CUPS のキュー(省略時は $MADOGUCHI_PRINTER、なければ既定) / CUPS queue (default: $MADOGUCHI_PRINTER, then the server's default).")
    var queue: String?

    /// The queue named, or the default; exits 69 with a reason when there is none.
    func resolve() async throws -> Printer {
        if let queue { return Printer(queue: queue) }
        if let named = ProcessInfo.processInfo.environment["MADOGUCHI_PRINTER"], !named.isEmpty { return Printer(queue: named) }
        guard let queue = await Printer.defaultQueue() else {
            Output.error(BilingualText(
                ja: "既定のプリンターがありません(cupsd が動いていないか、キューがありません)。--queue で指定してください。",
                en: "There is no default printer (cupsd is not running, or it has no queue). Name one with --queue.").description)
            throw ExitCode(69)  // EX_UNAVAILABLE
        }
        return Printer(queue: queue)
    }
}

/// `madoguchi printer …`
struct PrinterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer",
        abstract: "プリンター(CUPS) / Printers (CUPS).",
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

    /// `madoguchi printer test-page`: the same page as `madoguchi print test`.
    struct TestPage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test-page",
            abstract: "テストページを印刷します(madoguchi print test と同じ) / Print a test page (as madoguchi print test).")

        @OptionGroup var test: PrintCommand.Test

        func run() async throws { try await test.run() }
    }
}

/// `madoguchi print …`
struct PrintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "印刷と印刷キューの確認 / Print, and check the print queue.",
        discussion: """
            印刷は最後まで見届けます: 確認済み(プリンターが枚数を報告)、推定(スプーラーは完了、枚数の報告なし)、失敗。\
            停止したキューは再開してから印刷し、保留・時間切れのジョブは取り消し、終わったジョブはスプールから消します。
            Every print is followed to its end: confirmed (the printer reported the sheets), assumed (the spooler \
            finished without a sheet count) or failed. A stopped queue is resumed first; a held or overdue job is \
            canceled; a finished job is purged from the spool. Resuming needs the lpadmin group.
            Exit status: 0 confirmed or assumed (or status: ready), 1 failed (or status: a fault), 64 bad arguments, \
            69 cupsd or the queue unavailable.
            """,
        subcommands: [Status.self, Prepare.self, Test.self, File.self],
        defaultSubcommand: File.self)

    /// `madoguchi print status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "キューとプリンターの状態 / The queue's and printer's state.")

        @OptionGroup var target: QueueOptions

        @Flag(help: "JSON で出力します / Print JSON.")
        var json = false

        func run() async throws {
            let printer = try await target.resolve()
            let status: PrinterStatus
            do {
                status = try await printer.status()
            } catch {
                Output.error(Printer.failure(error).forStaff.description)
                throw ExitCode(69)
            }
            let ready = status.isAcceptingJobs && status.faults.isEmpty
            if json {
                let reasons = status.reasons.map { reason in
                    "{\"keyword\": \(JSONText.quote(reason.keyword)), \"stopsPrinting\": \(reason.stopsPrinting), \"staff\": {\"ja\": \(JSONText.quote(reason.forStaff.ja)), \"en\": \(JSONText.quote(reason.forStaff.en))}}"
                }
                print("""
                    {"queue": \(JSONText.quote(status.queue)), "state": "\(status.state)", "acceptingJobs": \(status.isAcceptingJobs), \
                    "ready": \(ready), "errorPolicy": \(status.errorPolicy.map(JSONText.quote) ?? "null"), "activeJobs": \(status.activeJobs), \
                    "message": \(JSONText.quote(status.message)), "reasons": [\(reasons.joined(separator: ", "))]}
                    """)
            } else {
                let state = switch status.state {
                case .idle: "待機中 / idle"
                case .processing: "印刷中 / processing"
                case .stopped: "停止 / stopped"
                }
                Output.line("キュー / queue: \(status.queue) — \(state)")
                Output.line(status.isAcceptingJobs ? "受付: する / accepting jobs: yes" : "受付: 停止中(cupsaccept で再開) / accepting jobs: no (cupsaccept resumes)")
                if let policy = status.errorPolicy {
                    let note = policy == ErrorPolicy.kiosk.rawValue ? "" : " — 端末の方針は \(ErrorPolicy.kiosk.rawValue) です / the kiosk's policy is \(ErrorPolicy.kiosk.rawValue)"
                    Output.line("エラー時 / error policy: \(policy)\(note)")
                }
                Output.line("未完了のジョブ / active jobs: \(status.activeJobs)")
                if !status.message.isEmpty { Output.line("メッセージ / message: \(status.message)") }
                for reason in status.reasons { Output.line("\(reason.stopsPrinting ? "✗" : "!") \(reason.forStaff)") }
                Output.line(ready ? "印刷できます / ready to print" : "印刷できません / not ready to print")
            }
            if !ready { throw ExitCode(1) }
        }
    }

    /// `madoguchi print prepare`
    struct Prepare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "キューを端末用に整えます(エラー時の方針、受付、再開) / Set the queue up for a kiosk: error policy, accepting, resumed.",
            discussion: """
                エラー時の方針を \(ErrorPolicy.kiosk.rawValue) にし(失敗した一件がキュー全体を止めないように)、受付を再開し、停止を解除します。\
                lpadmin グループの権限が要ります。
                Sets the error policy to \(ErrorPolicy.kiosk.rawValue) (so one failed job never stops the queue for everyone), \
                accepts jobs and resumes the queue. Needs the lpadmin group.
                """)

        @OptionGroup var target: QueueOptions

        func run() async throws {
            let printer = try await target.resolve()
            do {
                try await printer.setErrorPolicy(.kiosk)
                try await printer.accept()
                try await printer.resume()
                let status = try await printer.status()
                Output.line(BilingualText(
                    ja: "\(status.queue): エラー時の方針 \(status.errorPolicy ?? "?")、受付中、\(status.state == .stopped ? "停止中" : "稼働中")",
                    en: "\(status.queue): error policy \(status.errorPolicy ?? "?"), accepting jobs, \(status.state == .stopped ? "stopped" : "running")").description)
            } catch {
                let failure = Printer.failure(error)
                Output.error(failure.forStaff.description)
                if error.ippStatus == 0x0401 || error.ippStatus == 0x0403 {  // not authorized / forbidden
                    Output.error(BilingualText(
                        ja: "権限がありません。lpadmin グループのユーザーで実行してください。", en: "Not allowed: run it as a user in the lpadmin group.").description)
                }
                throw ExitCode(failure.kind == .serverUnavailable || failure.kind == .queueMissing ? 69 : 1)
            }
        }
    }

    /// `madoguchi print test`
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "端末名・日時・プリンター名入りのテストページを印刷します / Print a test page naming the kiosk, the time and the printer.")

        @OptionGroup var target: QueueOptions

        @Option(help: "ページに印刷する端末名(省略時は $MADOGUCHI_KIOSK_ID かホスト名) / The kiosk name on the page (default: $MADOGUCHI_KIOSK_ID or the host name).")
        var kiosk: String?

        @Option(help: "完了を待つ秒数 / Seconds to wait for the job to finish.")
        var timeout: Double = 60

        func validate() throws {
            guard timeout > 0 else { throw ValidationError("--timeout は正の秒数にしてください / --timeout must be a positive number of seconds.") }
        }

        func run() async throws {
            let printer = try await target.resolve()
            let name = kiosk ?? ProcessInfo.processInfo.environment["MADOGUCHI_KIOSK_ID"].flatMap { $0.isEmpty ? nil : $0 }
                ?? ProcessInfo.processInfo.hostName
            let path = NSTemporaryDirectory() + "madoguchi-test-page-\(UUID().uuidString).pdf"
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                try DocumentRenderer().writePDF(TestPageDocument.make(kiosk: name, queue: printer.queue, at: Date()), to: path)
            } catch {
                Output.error("\(error)")
                throw ExitCode(70)  // EX_SOFTWARE
            }
            try await PrintCommand.follow(printer, file: path, title: TestPageDocument.title, options: PrintOptions(), sheets: 1, timeout: timeout)
        }
    }

    /// `madoguchi print FILE.pdf`
    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "file", abstract: "PDF を印刷します(madoguchi print FILE.pdf) / Print a PDF (madoguchi print FILE.pdf).")

        @Argument(help: "印刷する PDF / The PDF to print.")
        var path: String

        @OptionGroup var target: QueueOptions

        @Option(help: "部数 / Copies (1–20).")
        var copies: Int = 1

        @Option(help: "用紙(IPP の media、例 iso_a4_210x297mm) / Paper (IPP media, e.g. iso_a4_210x297mm).")
        var media: String?

        @Option(help: "片面/両面 / Sides: one-sided, two-sided-long-edge, two-sided-short-edge.")
        var sides: String?

        @Option(help: "出てくるはずの枚数(省略時は PDF のページ数×部数) / Sheets expected (default: the PDF's pages × copies).")
        var sheets: Int?

        @Option(help: "完了を待つ秒数 / Seconds to wait for the job to finish.")
        var timeout: Double = 120

        func validate() throws {
            guard (1...20).contains(copies) else { throw ValidationError("--copies は 1〜20 にしてください / --copies must be from 1 to 20.") }
            guard timeout > 0 else { throw ValidationError("--timeout は正の秒数にしてください / --timeout must be a positive number of seconds.") }
            if let sides, !["one-sided", "two-sided-long-edge", "two-sided-short-edge"].contains(sides) {
                throw ValidationError("--sides は one-sided、two-sided-long-edge、two-sided-short-edge のどれかにしてください / --sides must be one-sided, two-sided-long-edge or two-sided-short-edge.")
            }
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: path) else {
                Output.error(BilingualText(ja: "「\(path)」を読めません。パスを確かめてください。", en: "cannot read \"\(path)\"; check the path.").description)
                throw ExitCode(66)  // EX_NOINPUT
            }
            guard data.starts(with: Array("%PDF-".utf8)) else {
                Output.error(BilingualText(
                    ja: "「\(path)」は PDF ではありません(先頭が %PDF- ではありません)。PDF を渡してください。",
                    en: "\"\(path)\" is not a PDF (it does not start with %PDF-); give a PDF file.").description)
                throw ExitCode(65)  // EX_DATAERR
            }
            let printer = try await target.resolve()
            let expected = sheets ?? PDFPages.count(data) * copies
            // The title names the kind of job only, never the file name: it may hold a name.
            try await PrintCommand.follow(
                printer, file: path, title: "madoguchi-print", options: PrintOptions(media: media, sides: sides, copies: copies),
                sheets: expected, timeout: timeout)
        }
    }

    /// Prints and follows the job, showing its progress on standard error, and exits by
    /// the outcome.
    static func follow(_ printer: Printer, file: String, title: String, options: PrintOptions, sheets: Int, timeout: Double) async throws {
        Output.line(BilingualText(ja: "印刷します: \(printer.queue)", en: "Printing on \(printer.queue)").description)
        let outcome = await printer.print(
            file: file, title: title, options: options, expectedSheets: sheets, timeout: .milliseconds(Int(timeout * 1000))
        ) { job in
            Output.error("… \(job.state) (\(job.sheetsCompleted)/\(sheets))")
        }
        switch outcome {
        case .confirmed(let count):
            Output.line(BilingualText(ja: "印刷を確認しました: \(count) 枚", en: "Printed and confirmed: \(count) sheet(s)").description)
        case .assumed(let count):
            Output.line(BilingualText(
                ja: "印刷は終わりましたが、プリンターは枚数を報告していません(報告 \(count) 枚)。\(sheets) 枚出たか確かめてください。",
                en: "Printing finished, but the printer did not confirm the sheets (reported \(count)). Check that \(sheets) sheet(s) came out.").description)
        case .failed(let failure):
            Output.error(failure.forStaff.description)
            throw ExitCode(failure.kind == .serverUnavailable || failure.kind == .queueMissing ? 69 : 1)
        }
    }
}

/// JSON string literals for the status output.
enum JSONText {
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Pages of a PDF as its page objects say (a PDF with compressed object streams hides
/// them: then 1, and the outcome can at best be "assumed").
enum PDFPages {
    static func count(_ data: Data) -> Int {
        let needle = Array("/Type".utf8)
        var count = 0
        let bytes = [UInt8](data)
        var index = 0
        while index + needle.count < bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle {
                var cursor = index + needle.count
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x0A || bytes[cursor] == 0x0D { cursor += 1 }
                let page = Array("/Page".utf8)
                if cursor + page.count < bytes.count, Array(bytes[cursor..<cursor + page.count]) == page {
                    let next = bytes[cursor + page.count]
                    if !(next >= 0x41 && next <= 0x5A || next >= 0x61 && next <= 0x7A) { count += 1 }
                }
                index = cursor
            } else {
                index += 1
            }
        }
        return max(1, count)
    }
}
