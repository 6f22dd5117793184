import ArgumentParser
import CLISupport
import Diagnostics
import Documents
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Printing
import Rendering

#if canImport(Glibc)
import Glibc
#endif

/// `madoguchi diag print [--queue a4|receipt] [--config PATH] [--timeout SECONDS]`: prints
/// the test page on a configured queue and follows the job to its end, one line per change
/// with the time since it was sent (docs/diagnostics.md). The page holds no personal data.
struct PrintCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "テストページを印刷して最後まで見届けます / Print the test page and follow the job to its end.",
        discussion: """
            設定のキュー([printer.a4] または [printer.receipt])にテストページを送り、状態が変わるたびに経過時間とともに表示します\
            (送信、待機中、印刷中、完了/停止/中止/取り消し)。止まったときはプリンターの状態(printer-state-reasons)を示します。\
            停止中のキューは再開しません(cupsenable を案内します)。5 秒続く障害、または --timeout を過ぎたジョブは取り消します\
            (キューに残すと後の印刷が止まるため)。Ctrl+C でもジョブを取り消します。
            終了コード: 0 完了、1 完了したが注意あり(トナー残りわずかなど)、2 失敗・時間切れ・完了したが異常あり(トナー切れなど)。
            Sends the test page to the configured queue ([printer.a4] or [printer.receipt]) and prints a line, with the \
            elapsed time, at each change (sent, queued, processing, completed / stopped / aborted / canceled), with the \
            printer-state-reasons when it stalls. A stopped queue is not resumed (it says to run cupsenable). A fault that \
            lasts 5 s, or a job past --timeout, is canceled (left in the queue it would hold up the residents' prints); \
            Ctrl+C cancels it too.
            Exit status: 0 completed, 1 completed with a warning (toner low …), 2 failed, timed out, or completed with a fault (toner empty …).
            """)

    /// Which configured printer.
    enum Which: String, ExpressibleByArgument, CaseIterable {
        case a4, receipt
    }

    @Option(help: "印刷するキュー / The configured printer: a4 ([printer.a4]) or receipt ([printer.receipt]).")
    var queue: Which = .a4

    @Option(help: "設定ファイル / The configuration file (default $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    @Option(help: "完了を待つ秒数 / Seconds to wait for the job to finish (1–600).")
    var timeout: Double = 60

    /// How long a fault that keeps paper from coming out may last before the print fails:
    /// the kiosk's own rule for a resident's print (`Printer.print`'s `faultGrace`).
    static let faultGrace: Duration = .seconds(5)

    func validate() throws {
        guard timeout >= 1, timeout <= 600 else {
            throw ValidationError("--timeout は 1〜600 秒にしてください / --timeout must be from 1 to 600 seconds.")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigurationFile.path(option: config, environment: environment)
        let configuration: KioskConfiguration
        switch KioskConfiguration.load(path: path) {
        case .failure(let error): throw Self.fail(SystemChecks.unreadable(path, error))
        case .success(let loaded): configuration = loaded
        }
        let id = queue.rawValue
        guard let settings = queue == .a4 ? configuration.printer.a4 : configuration.printer.receipt else {
            let other = queue == .a4 ? "receipt" : "a4"
            throw Self.fail(
                .failure(
                    "\(id)-queue",
                    BilingualText(ja: "[printer.\(id)] が設定されていません(\(path))。", en: "No [printer.\(id)] is configured (\(path))."),
                    next: BilingualText(
                        ja: "\(path) に [printer.\(id)] と queue = \"CUPS のキュー名\" を書くか(lpstat -p で名前を確認)、--queue \(other) で印刷してください。",
                        en: "Add [printer.\(id)] with queue = \"<CUPS queue>\" to \(path) (lpstat -p lists the names), or print with --queue \(other).")))
        }
        let name = settings.queue
        let printer = Printer(queue: name, server: configuration.printer.cupsServer)
        Output.line("テストページを印刷します: キュー \(name)([printer.\(id)]) / Printing the test page on queue \(name) ([printer.\(id)])")

        let before: PrinterStatus
        do throws(PrintingError) {
            before = try await printer.status()
        } catch {
            throw Self.fail(PrinterChecks.unreachable(id, queue: name, Printer.failure(error)))
        }
        if !before.isAcceptingJobs {
            throw Self.fail(
                .failure(
                    "\(id)-accepting", BilingualText(ja: "キュー \(name) は印刷を受け付けていません。", en: "Queue \(name) rejects new jobs."),
                    next: BilingualText(ja: "確認のうえ cupsaccept \(name) で受付を再開してください。", en: "Once checked, accept jobs again with cupsaccept \(name).")))
        }
        if before.state == .stopped {
            // Not resumed here: the technician sees the queue as the kiosk left it.
            throw Self.fail(
                .failure(
                    "\(id)-queue", BilingualText(ja: "キュー \(name) は停止しています\(Self.quoted(before.message, ja: true))。", en: "Queue \(name) is stopped\(Self.quoted(before.message, ja: false))."),
                    next: PrinterChecks.stoppedNext(name)))
        }

        let file = NSTemporaryDirectory() + "madoguchi-diag-print-\(UUID().uuidString).pdf"
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            let kiosk = configuration.kiosk.id
            try DocumentRenderer().writePDF(TestPageDocument.make(kiosk: kiosk, queue: name, at: Date(), receipt: queue == .receipt), to: file)
        } catch {
            throw Self.fail(
                .failure(
                    "\(id)-page", BilingualText(ja: "テストページを描けません: \(error)", en: "Cannot draw the test page: \(error)"),
                    next: BilingualText(
                        ja: "一時ディレクトリ(\(NSTemporaryDirectory()))の空きと書き込み権限を確かめてください。",
                        en: "Check free space and write permission in the temporary directory (\(NSTemporaryDirectory())).")))
        }

        // From here Ctrl+C cancels the job instead of leaving it (checked once it is sent).
        let interrupts = Self.catchInterrupts()
        defer { interrupts.cancel() }
        let start = ContinuousClock.now
        let job: Int
        do throws(PrintingError) {
            job = try await printer.submit(file: file, title: TestPageDocument.title)
        } catch {
            let failure = Printer.failure(error)
            if failure.kind == .serverUnavailable || failure.kind == .queueMissing {
                throw Self.fail(PrinterChecks.unreachable(id, queue: name, failure))
            }
            throw Self.fail(
                .failure(
                    "\(id)-print", BilingualText(ja: "印刷を送れません: \(failure.forStaff.ja)", en: "Cannot send the print: \(failure.forStaff.en)"),
                    next: PrinterChecks.faultNext))
        }
        Self.progress(since: start, ja: "送信しました(ジョブ \(job))", en: "sent (job \(job))")
        let status = await follow(printer, id: id, job: job, start: start, interrupts: interrupts)
        throw ExitCode(status)
    }

    /// Follows `job` until it ends, fails, runs out of time or is interrupted; the exit status.
    func follow(_ printer: Printer, id: String, job: Int, start: ContinuousClock.Instant, interrupts: Interrupts) async -> Int32 {
        let name = printer.queue
        let deadline = start + .milliseconds(Int(timeout * 1000))
        var shown: BilingualText?
        var faultSince: ContinuousClock.Instant?
        while true {
            if let number = interrupts.signal {
                await printer.discard(job)
                Self.progress(since: start, ja: "中断: ジョブ \(job) を取り消しました", en: "interrupted: canceled job \(job)")
                return 128 + number
            }
            let current: JobStatus?
            let status: PrinterStatus
            do throws(PrintingError) {
                current = try await printer.job(job)
                status = try await printer.status()
            } catch {
                Self.progress(since: start, ja: "CUPS に問い合わせられません", en: "CUPS does not answer")
                Self.report(PrinterChecks.unreachable(id, queue: name, Printer.failure(error)))
                Self.cancelHint(name, job: job)
                return 2
            }
            guard let current else {
                // CUPS forgot the job before its end was read (no job history kept).
                Self.progress(since: start, ja: "CUPS の一覧から消えました(完了とみなします)", en: "no longer listed by CUPS (taken as completed)")
                return Self.finish(id: id, queue: name, status: status, sheets: nil)
            }
            let line = Self.describe(current, status)
            if line != shown {
                shown = line
                Self.progress(since: start, ja: line.ja, en: line.en)
            }
            switch current.state {
            case .completed:
                await printer.discard(job)
                return Self.finish(id: id, queue: name, status: status, sheets: current.sheetsCompleted)
            case .aborted, .canceled:
                await printer.discard(job)
                let how = current.state == .aborted
                    ? BilingualText(ja: "印刷ジョブが中止されました", en: "The print job was aborted")
                    : BilingualText(ja: "印刷ジョブが取り消されました", en: "The print job was canceled")
                Self.report(Self.failed(id, queue: name, how, job: current, status: status))
                return 2
            case .pending, .held, .processing, .stopped:
                break
            }
            var failure: DiagnosticCheck?
            if current.state == .held, !current.reasons.contains("resources-are-not-ready") {
                failure = Self.failed(id, queue: name, BilingualText(ja: "印刷ジョブが保留されました", en: "The print job was held"), job: current, status: status)
            } else if status.state == .stopped {
                failure = Self.failed(id, queue: name, BilingualText(ja: "印刷中にキューが停止しました", en: "The queue stopped while printing"), job: current, status: status)
            } else if !status.faults.isEmpty {
                let since = faultSince ?? ContinuousClock.now
                faultSince = since
                if ContinuousClock.now - since >= Self.faultGrace {
                    failure = Self.failed(id, queue: name, BilingualText(ja: "プリンターの異常で印刷できません", en: "A printer fault keeps the page from printing"), job: current, status: status)
                }
            } else {
                faultSince = nil
            }
            if failure == nil, ContinuousClock.now >= deadline {
                let seconds = Int(timeout.rounded())
                failure = Self.failed(
                    id, queue: name,
                    BilingualText(ja: "\(seconds) 秒たっても印刷が終わりません", en: "The print did not finish within \(seconds) s"), job: current, status: status)
            }
            if let failure {
                await printer.discard(job)
                let gone: Bool
                do throws(PrintingError) {
                    gone = try await printer.job(job).map(\.state.isFinal) ?? true
                } catch {
                    gone = false
                }
                if gone {
                    Self.progress(since: start, ja: "ジョブ \(job) を取り消しました", en: "canceled job \(job)")
                }
                Self.report(failure)
                if !gone { Self.cancelHint(name, job: job) }
                return 2
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The end of a completed job: ✓, or ⚠ (exit 1) with each warning the printer now
    /// reports, its reasons and its supplies, with the check's next steps; ✗ (exit 2) when
    /// one of them is a fault (toner empty, out of paper).
    static func finish(id: String, queue: String, status: PrinterStatus, sheets: Int?) -> Int32 {
        let warnings = PrinterChecks.checks(id, queue: queue, status: status).filter { check in
            (check.id == "\(id)-reasons" || check.id.hasPrefix("\(id)-marker")) && (check.mark == .warning || check.mark == .failure)
        }
        let reported = sheets.map { sheets in
            sheets > 0
                ? BilingualText(ja: "(プリンターの報告 \(sheets) 枚)", en: " (the printer reported \(sheets) sheet(s))")
                : BilingualText(ja: "(プリンターは枚数を報告していません。用紙が出たか確かめてください)", en: " (the printer reported no sheets: check the page came out)")
        } ?? BilingualText(ja: "", en: "")
        for check in warnings { report(check) }
        if warnings.isEmpty {
            report(.ok("\(id)-print", ja: "テストページを印刷しました\(reported.ja)。", en: "The test page printed\(reported.en)."))
            return 0
        }
        if warnings.contains(where: { $0.mark == .failure }) {
            // Finished, but the printer now cannot print (empty toner, out of paper): the page
            // may be blank or the last one; the fault's own line says what to do.
            report(
                .failure(
                    "\(id)-print",
                    BilingualText(
                        ja: "印刷は終わりましたが、プリンターに異常があります\(reported.ja)。", en: "The print finished, but the printer has a fault\(reported.en)."),
                    next: PrinterChecks.faultNext))
            return 2
        }
        report(
            .warning(
                "\(id)-print", BilingualText(ja: "テストページを印刷しましたが、注意があります\(reported.ja)。", en: "The test page printed, with a warning\(reported.en)."),
                next: PrinterChecks.warningNext))
        return 1
    }

    /// ✗ for a job that did not print: what happened, the printer's reasons and message,
    /// and the same next step as the check's printer lines.
    static func failed(_ id: String, queue: String, _ what: BilingualText, job: JobStatus, status: PrinterStatus) -> DiagnosticCheck {
        let faults = status.reasons.filter { !($0.kind == .paused && status.state == .stopped) }
        let reasons = faults.isEmpty
            ? BilingualText(ja: "", en: "")
            : BilingualText(ja: " — " + faults.map(\.forStaff.ja).joined(separator: "、"), en: " — " + faults.map(\.forStaff.en).joined(separator: ", "))
        let said = job.printerMessage.isEmpty ? status.message : job.printerMessage
        let text = BilingualText(
            ja: what.ja + reasons.ja + quoted(said, ja: true) + "。", en: what.en + reasons.en + quoted(said, ja: false) + ".")
        let next: BilingualText =
            if status.state == .stopped {
                PrinterChecks.stoppedNext(queue)
            } else if !status.faults.isEmpty {
                PrinterChecks.faultNext
            } else {
                BilingualText(
                    ja: "プリンターの電源・ケーブル・表示を確かめ、lpstat -l -p \(queue) と CUPS のログ(/var/log/cups/error_log)で理由を確かめてから、もう一度 madoguchi diag print を実行してください。",
                    en: "Check the printer's power, cable and panel, see why with lpstat -l -p \(queue) and the CUPS log (/var/log/cups/error_log), then run madoguchi diag print again.")
            }
        return .failure("\(id)-print", text, next: next)
    }

    /// `「message」` / ` ("message")`, or nothing.
    static func quoted(_ message: String, ja: Bool) -> String {
        message.isEmpty ? "" : ja ? "「\(message)」" : " (\"\(message)\")"
    }

    /// One progress line: the seconds since the job was sent, then what changed.
    static func progress(since start: ContinuousClock.Instant, ja: String, en: String) {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Output.line(String(format: "%6.1f s  ", seconds) + "\(ja) / \(en)")
    }

    /// The job's state, and the printer's reasons while the job is not done (a stopped
    /// queue's own `paused` reason is said as "queue stopped"). A line is printed each time
    /// this text changes.
    static func describe(_ job: JobStatus, _ status: PrinterStatus) -> BilingualText {
        let (ja, en): (String, String) =
            switch job.state {
            case .pending: ("待機中", "queued")
            case .held: ("保留", "held")
            case .processing: ("印刷中", "processing")
            case .stopped: ("停止", "stopped")
            case .completed: ("完了", "completed")
            case .canceled: ("取り消し", "canceled")
            case .aborted: ("中止", "aborted")
            }
        var (jaLine, enLine) = (ja, en)
        guard !job.state.isFinal else { return BilingualText(ja: jaLine, en: enLine) }
        if status.state == .stopped {
            jaLine += "(キュー停止)"
            enLine += " (queue stopped)"
        }
        let reasons = status.reasons.filter { !($0.kind == .paused && status.state == .stopped) }
        if !reasons.isEmpty {
            jaLine += " — プリンター: " + reasons.map(\.forStaff.ja).joined(separator: "、")
            enLine += " — printer: " + reasons.map(\.forStaff.en).joined(separator: ", ")
        }
        return BilingualText(ja: jaLine, en: enLine)
    }

    /// How to cancel a job this command could not cancel.
    static func cancelHint(_ queue: String, job: Int) {
        Output.line(
            "    → ジョブ \(job) が残っていれば cancel \(queue)-\(job) で取り消してください(lpstat -o \(queue) で確認)。")
        Output.line("    → If job \(job) is still there, cancel it with cancel \(queue)-\(job) (check with lpstat -o \(queue)).")
    }

    /// Prints one check with its next step.
    static func report(_ check: DiagnosticCheck) {
        for line in DiagnosticReport.lines(check) { Output.line(line) }
    }

    /// Prints `check` and gives the exit status for a print that did not start.
    static func fail(_ check: DiagnosticCheck) -> ExitCode {
        report(check)
        return ExitCode(2)
    }

    /// Catches Ctrl+C (and SIGTERM) while the job runs; `follow` then cancels the job.
    static func catchInterrupts() -> Interrupts {
        let interrupts = Interrupts()
        interrupts.sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [interrupts] in interrupts.record(number) }
            source.resume()
            return source
        }
        return interrupts
    }

    /// The signal caught, if any; `cancel()` gives the signals back their default action.
    final class Interrupts: @unchecked Sendable {
        private let lock = NSLock()
        private var caught: Int32?
        fileprivate var sources: [any DispatchSourceSignal] = []

        /// The first signal caught.
        var signal: Int32? { lock.withLock { caught } }

        func record(_ number: Int32) {
            lock.withLock { if caught == nil { caught = number } }
        }

        func cancel() {
            for source in sources { source.cancel() }
            Glibc.signal(SIGINT, SIG_DFL)
            Glibc.signal(SIGTERM, SIG_DFL)
        }
    }
}
