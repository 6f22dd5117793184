import Diagnostics
import MadoguchiConfig
import MadoguchiCore
import Printing

/// The `printer` section: each configured CUPS queue (`[printer.a4]`, `[printer.receipt]`):
/// cupsd reachable, the queue's state, whether it accepts jobs, its reasons, unfinished jobs.
enum PrinterChecks {
    static let title = BilingualText(ja: "プリンター", en: "Printer")

    static func section(_ settings: PrinterSettings) async -> DiagnosticSection {
        var checks: [DiagnosticCheck] = []
        if settings.a4 == nil && settings.receipt == nil {
            checks.append(.skipped("a4", ja: "[printer.a4] が設定されていません。", en: "No [printer.a4] configured."))
        }
        for (id, queue) in [("a4", settings.a4), ("receipt", settings.receipt)] {
            guard let queue else { continue }
            checks += await self.checks(id, queue: queue.queue, server: settings.cupsServer)
        }
        return DiagnosticSection(id: "printer", title: title, checks: checks)
    }

    static func checks(_ id: String, queue: String, server: String?) async -> [DiagnosticCheck] {
        let status: PrinterStatus
        do throws(PrintingError) {
            status = try await Printer(queue: queue, server: server).status()
        } catch {
            return [unreachable(id, queue: queue, Printer.failure(error))]
        }
        return checks(id, queue: queue, status: status)
    }

    /// The lines for a queue whose status was read.
    static func checks(_ id: String, queue: String, status: PrinterStatus) -> [DiagnosticCheck] {
        var checks: [DiagnosticCheck] = []
        let message = status.message.isEmpty ? "" : "「\(status.message)」"
        let englishMessage = status.message.isEmpty ? "" : " (\"\(status.message)\")"
        switch status.state {
        case .stopped:
            checks.append(
                .failure(
                    "\(id)-queue",
                    BilingualText(ja: "キュー \(queue) は停止しています\(message)。", en: "Queue \(queue) is stopped\(englishMessage)."),
                    next: stoppedNext(queue)))
        case .idle, .processing:
            checks.append(
                .ok(
                    "\(id)-queue", ja: "キュー \(queue) は\(status.state == .idle ? "待機中" : "印刷中")です。",
                    en: "Queue \(queue) is \(status.state == .idle ? "idle" : "printing")."))
        }
        if !status.isAcceptingJobs {
            checks.append(
                .failure(
                    "\(id)-accepting", BilingualText(ja: "キュー \(queue) は印刷を受け付けていません。", en: "Queue \(queue) rejects new jobs."),
                    next: BilingualText(ja: "確認のうえ cupsaccept \(queue) で受付を再開してください。", en: "Once checked, accept jobs again with cupsaccept \(queue).")))
        }
        // A stopped queue already said so; its `paused` reason adds nothing.
        let reasons = status.reasons.filter { !(status.state == .stopped && $0.kind == .paused) }
        if let fault = reasons.first(where: \.stopsPrinting) {
            checks.append(
                .failure(
                    "\(id)-reasons", BilingualText(ja: "プリンターの異常: \(fault.forStaff.ja)", en: "Printer fault: \(fault.forStaff.en)"),
                    next: faultNext))
        } else if let reason = reasons.first {
            checks.append(
                .warning(
                    "\(id)-reasons", BilingualText(ja: "プリンターの注意: \(reason.forStaff.ja)", en: "Printer warning: \(reason.forStaff.en)"),
                    next: warningNext))
        } else if status.isAcceptingJobs {
            checks.append(.ok("\(id)-reasons", ja: "プリンターの異常はありません。", en: "The printer reports no problem."))
        }
        if status.activeJobs > 0 {
            checks.append(
                .warning(
                    "\(id)-jobs", BilingualText(ja: "未完了のジョブ \(status.activeJobs) 件。", en: "\(status.activeJobs) job(s) not finished."),
                    next: BilingualText(
                        ja: "lpstat -o \(queue) で確かめ、止まったジョブは cancel で取り消してください。",
                        en: "Check with lpstat -o \(queue); cancel stuck jobs with cancel.")))
        } else {
            checks.append(.ok("\(id)-jobs", ja: "未完了のジョブはありません。", en: "No unfinished jobs."))
        }
        return checks + supplies(id, status)
    }

    /// The supply lines (`<id>-marker-N`, or one `<id>-markers`) from the queue's `marker-…`.
    static func supplies(_ id: String, _ status: PrinterStatus) -> [DiagnosticCheck] {
        let markers = status.markers
        return PrinterSupplies.read(
            names: markers.names, types: markers.types, colors: markers.colors, levels: markers.levels, lowLevels: markers.lowLevels,
            highLevels: markers.highLevels
        ).checks(id)
    }

    /// ✗ `<id>-queue` when cupsd or the queue cannot be asked, with what to check.
    static func unreachable(_ id: String, queue: String, _ failure: PrintFailure) -> DiagnosticCheck {
        let next =
            failure.kind == .queueMissing
            ? BilingualText(
                ja: "lpstat -p でキューの名前を確かめ、[printer.\(id)] queue を直すか、lpadmin でキューを作ってください。",
                en: "Check the queue names with lpstat -p; fix [printer.\(id)] queue, or create the queue with lpadmin.")
            : BilingualText(
                ja: "systemctl status cups で cupsd を確かめ、systemctl restart cups で起動してください([printer] cupsServer も確認)。",
                en: "Check cupsd with systemctl status cups and start it with systemctl restart cups (check [printer] cupsServer too).")
        return .failure(
            "\(id)-queue",
            BilingualText(ja: "キュー \(queue) の状態を取得できません: \(failure.forStaff.ja)", en: "Cannot get the state of queue \(queue): \(failure.forStaff.en)"),
            next: next)
    }

    /// What to do about a stopped queue.
    static func stoppedNext(_ queue: String) -> BilingualText {
        BilingualText(
            ja: "プリンターの異常(紙・カバー・電源)を直してから cupsenable \(queue) で再開してください(次の印刷でも再開します)。",
            en: "Clear the printer's fault (paper, cover, power), then resume with cupsenable \(queue) (the next print also resumes it).")
    }

    /// What to do about a reason that keeps paper from coming out.
    static let faultNext = BilingualText(
        ja: "プリンターで表示を確かめて直し、madoguchi diag print で確認してください。", en: "Fix it at the printer, then check with madoguchi diag print.")

    /// What to do about a reason that only warns (toner low, paper low …).
    static let warningNext = BilingualText(
        ja: "表示の内容に従って準備し、madoguchi print status で確かめてください。", en: "Prepare as it says, then check with madoguchi print status.")
}
