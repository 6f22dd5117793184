import ArgumentParser
import CLISupport
import ControlProtocol
import DaemonSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import KioskMetrics
import MadoguchiCore
import PCSC

/// `madoguchi status [--json]`: the running daemon's status, through its control socket.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "動作中の madoguchid の状態 / The running daemon's status: session, reader, printer, outbox, back office.",
        discussion: """
            madoguchid に制御ソケットで問い合わせます(MADOGUCHI_CONTROL_SOCKET、既定 /run/madoguchi/control.sock)。\
            デーモンが動いていなければ、カードリーダー・プリンター・送信待ちキューを直接確かめて表示し、終了コード 69。
            Asks madoguchid over its control socket (MADOGUCHI_CONTROL_SOCKET, default /run/madoguchi/control.sock). \
            When the daemon is not running, checks the card readers, the printer and the outbox directly, then exits 69.
            """)

    @Flag(help: "JSON で出力 / Print JSON (docs/daemon.md, the status result).")
    var json = false

    func run() throws {
        let answer = DaemonQuery.ask(.status, ifNoDaemon: json ? nil : { Self.checkDirectly() })
        guard case .status(let status) = answer else { DaemonQuery.unexpectedAnswer() }
        if json {
            Output.line(DaemonQuery.json(status))
        } else {
            for line in status.linesForPeople() { Output.line(line) }
        }
    }

    /// No daemon to ask (stopped, or crashed): what this CLI can see itself, then exit 69.
    static func checkDirectly() -> Never {
        Output.error("madoguchid は動いていません。デーモンなしで、この端末の機器を直接確かめます(systemctl status madoguchid / journalctl -u madoguchid)。")
        Output.error("madoguchid is not running. Checking this kiosk's devices directly (systemctl status madoguchid / journalctl -u madoguchid).")
        Output.line("== カードリーダー / Card readers")
        do {
            let readers = try PCSCContext().readers()
            if readers.isEmpty { Output.line(BilingualText(ja: "カードリーダーがありません。", en: "No card readers.")) }
            for reader in readers { Output.line(reader) }
        } catch {
            Output.line(error.description)
        }
        Output.line("== プリンター / Printer")
        _ = HelperProgram.run("madoguchi-printer", ["print", "status"])
        Output.line("== 送信待ちキュー / Outbox")
        _ = HelperProgram.run("madoguchi-outbox", ["queue", "status"])
        Glibc.exit(DaemonQuery.Status.unavailable)
    }
}

/// `madoguchi stats [--json]`: the daemon's session metrics (aggregates only).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "手順ごとの所要時間と結果(集計のみ)/ Time per step and session outcomes, per form (aggregates only).",
        discussion: """
            件数・中央値・90% 値(直近 2048 件)、結果ごとの件数、中断した手順。個人ごとの記録はありません。\
            デーモンが動いていなければ終了コード 69。
            Count, median and p90 (over the latest 2048 samples), outcomes and where unfinished sessions ended. \
            Nothing per person. Exits 69 when the daemon is not running.
            """)

    @Flag(help: "JSON で出力 / Print JSON (docs/daemon.md, the stats result).")
    var json = false

    func run() throws {
        guard case .stats(let report) = DaemonQuery.ask(.stats) else { DaemonQuery.unexpectedAnswer() }
        if json {
            Output.line(DaemonQuery.json(report))
        } else {
            var table = report.table()
            if table.hasSuffix("\n") { table.removeLast() }
            Output.line(table)
        }
    }
}

/// Asking the daemon, with one exit status per kind of failure (sysexits.h).
enum DaemonQuery {
    enum Status {
        static let failed: Int32 = 1
        static let unavailable: Int32 = 69  // EX_UNAVAILABLE: no daemon
        static let osError: Int32 = 71  // EX_OSERR
        static let temporaryFailure: Int32 = 75  // EX_TEMPFAIL: timed out, busy
        static let protocolError: Int32 = 76  // EX_PROTOCOL: an answer we cannot read
        static let noPermission: Int32 = 77  // EX_NOPERM
    }

    /// The daemon's result for `request`; on any failure prints why (Japanese, then
    /// English) and exits — or, when no daemon listens, runs `ifNoDaemon` instead.
    static func ask(_ request: ControlRequest, ifNoDaemon: (() -> Never)? = nil) -> ControlResult {
        let path = ControlSocket.path()
        let response: ControlResponse
        do {
            response = try ControlClient.send(request, path: path, timeout: .seconds(5))
        } catch {
            if case .noDaemon = error, let ifNoDaemon { ifNoDaemon() }
            let status: Int32 =
                switch error {
                case .noDaemon: Status.unavailable
                case .permissionDenied: Status.noPermission
                case .timedOut, .connectionClosed: Status.temporaryFailure
                case .invalidResponse: Status.protocolError
                case .system: Status.osError
                }
            fail(error.message, status: status)
        }
        switch response {
        case .success(let result): return result
        case .failure(let error):
            let status: Int32 =
                switch error.code {
                case .forbidden: Status.noPermission
                case .busy, .idleTimeout: Status.temporaryFailure
                case .unavailable: Status.unavailable
                default: Status.failed
                }
            fail(error.message, status: status)
        }
    }

    static func unexpectedAnswer() -> Never {
        fail(
            BilingualText(
                ja: "madoguchid が別の種類の応答を返しました。madoguchi と madoguchid の版が同じか確認してください。",
                en: "madoguchid answered with a different kind of result. Check that madoguchi and madoguchid are the same version."),
            status: Status.protocolError)
    }

    static func fail(_ message: BilingualText, status: Int32) -> Never {
        Output.error(message.ja)
        Output.error(message.en)
        exit(status)
    }

    /// Pretty JSON, keys sorted, UTF-8 as is.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            fail(
                BilingualText(ja: "応答を JSON にできませんでした。", en: "Could not write the answer as JSON."),
                status: Status.failed)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
