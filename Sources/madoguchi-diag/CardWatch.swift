import ArgumentParser
import CLISupport
import ControlProtocol
import Diagnostics
import Foundation
import MadoguchiConfig
import MadoguchiCore
import PCSC
import Synchronization

/// `madoguchi diag card`: watches the kiosk's reader live, each event with the time since
/// the start and since the last event, and checks every card placed on it as `diag check`
/// does (type, PIN tries, certificate, applications, round trip), with how long that took.
/// Reads nothing stored on the card; when madoguchid runs it holds the card, so only the
/// events are shown.
struct CardWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "カードの出し入れを時間つきで表示し、置かれたカードを確かめます / Watch the kiosk's reader live and check each card placed, with timings.",
        discussion: """
            Ctrl+C、--seconds か --cards で終了。終了コード: 0 正常、1 注意あり、2 異常あり(読めないカード、リーダーや pcscd が消えた)。
            Stop with Ctrl+C, --seconds or --cards. Exit status: 0 all ok, 1 a warning, 2 a failure \
            (a card that could not be read, the reader or pcscd gone). Never prints personal data.
            """)

    @Option(help: "設定ファイル / The configuration file (default $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    @Option(help: "この秒数で終了 / Stop after this many seconds.")
    var seconds: Double?

    @Option(help: "この枚数のカードが置かれて取り除かれたら終了 / Stop once this many cards were placed and taken off again.")
    var cards: Int?

    func validate() throws {
        if let seconds, !(seconds > 0) {
            throw ValidationError("--seconds には正の秒数を / --seconds must be a positive number of seconds, e.g. --seconds 30.")
        }
        if let cards, cards < 1 {
            throw ValidationError("--cards には 1 以上を / --cards must be 1 or more.")
        }
    }

    func run() async throws {
        let path = ConfigurationFile.path(option: config, environment: ProcessInfo.processInfo.environment)
        let configuration: KioskConfiguration
        switch KioskConfiguration.load(path: path) {
        case .failure(let error):
            for line in DiagnosticReport.lines(SystemChecks.unreadable(path, error)) { Output.line(line) }
            throw ExitCode(2)
        case .success(let loaded):
            configuration = loaded
        }
        let readers = ReaderChecks.run(configuration)
        guard let reader = readers.chosen else {
            for line in DiagnosticReport(sections: [readers.section]).lines() { Output.line(line) }
            throw ExitCode(2)
        }
        let daemonHolds = SystemChecks.daemon().status != nil
        Output.line(BilingualText(ja: "リーダー「\(reader)」を見ています…", en: "Watching the reader \"\(reader)\"…"))
        if daemonHolds {
            Output.line(
                BilingualText(
                    ja: "madoguchid がリーダーを使っているため、カードは読まずに出し入れだけを表示します。",
                    en: "madoguchid holds the reader: cards are not read, only their coming and going is shown."))
        }
        let watch = Watch(reader: reader, readCards: !daemonHolds, cards: cards)
        let limit = seconds
        let worst = await withTaskGroup(of: DiagnosticMark?.self) { group in
            group.addTask { await watch.run() }
            if let limit {
                group.addTask {
                    try? await Task.sleep(for: .seconds(limit))
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? watch.worstSoFar
        }
        Output.line(watch.summary())
        switch worst {
        case .failure: throw ExitCode(2)
        case .warning: throw ExitCode(1)
        case .ok, .skipped: return
        }
    }

    /// The watch loop's state, shared with the timer that may end it.
    final class Watch: Sendable {
        let reader: String
        let readCards: Bool
        let cards: Int?
        private let worst = Mutex(DiagnosticMark.ok)
        private let counts = Mutex((placed: 0, removed: 0))

        init(reader: String, readCards: Bool, cards: Int?) {
            self.reader = reader
            self.readCards = readCards
            self.cards = cards
        }

        var worstSoFar: DiagnosticMark { worst.withLock { $0 } }

        func note(_ mark: DiagnosticMark) {
            worst.withLock { if mark != .skipped && mark > $0 { $0 = mark } }
        }

        /// Follows the events until `cards` cards came and went, or the task is cancelled;
        /// returns the worst mark seen.
        func run() async -> DiagnosticMark? {
            let start = ContinuousClock.now
            var last = start
            var placedAt: ContinuousClock.Instant?
            for await event in ReaderWatcher.events() {
                let now = ContinuousClock.now
                func stamp() -> String { "[\(Output.seconds(now - start)) +\(Output.seconds(now - last))]" }
                switch event {
                case .readerAdded(let name), .readerRemoved(let name):
                    guard name == reader else { continue }
                    Output.line(stamp(), event.symbol, event.message)
                    if case .readerRemoved = event { note(.failure) }
                case .cardInserted(let name, _):
                    guard name == reader else { continue }
                    Output.line(stamp(), event.symbol, event.message)
                    placedAt = now
                    counts.withLock { $0.placed += 1 }
                    if readCards { check() }
                case .cardRemoved(let name):
                    guard name == reader else { continue }
                    let held = placedAt.map { BilingualText(ja: "(置かれていた時間 \(Output.seconds(now - $0)))", en: " (on the reader for \(Output.seconds(now - $0)))") }
                    Output.line(
                        stamp(), event.symbol,
                        BilingualText(ja: event.message.ja + (held?.ja ?? ""), en: event.message.en + (held?.en ?? "")))
                    placedAt = nil
                    let removed = counts.withLock { counts -> Int in
                        counts.removed += 1
                        return counts.removed
                    }
                    if let cards, removed >= cards { return worstSoFar }
                case .serviceUnavailable, .serviceRestored:
                    Output.line(stamp(), event.symbol, event.message)
                    if case .serviceUnavailable = event { note(.failure) }
                }
                last = ContinuousClock.now
            }
            return worstSoFar
        }

        /// Checks the card just placed, as `diag check` does, and says how long it took.
        private func check() {
            let clock = ContinuousClock()
            var checks: [DiagnosticCheck] = []
            let took = clock.measure { checks = CardChecks.checks(reader: reader, daemon: nil) }
            let mark = checks.map(\.mark).filter { $0 != .skipped }.max() ?? .ok
            note(mark)
            Output.line(
                "    ",
                BilingualText(ja: "確認に \(CardChecks.milliseconds(took)) ms:", en: "checked in \(CardChecks.milliseconds(took)) ms:"))
            for check in checks {
                for line in DiagnosticReport.lines(check) { Output.line("    " + line) }
            }
        }

        /// The last line: how many cards came and went, and the overall mark.
        func summary() -> String {
            let (placed, removed) = counts.withLock { $0 }
            let mark = worstSoFar
            let text: BilingualText =
                switch mark {
                case .failure: BilingualText(ja: "問題がありました(✗)。", en: "Something failed (✗).")
                case .warning: BilingualText(ja: "注意が必要です(⚠)。", en: "Something needs attention (⚠).")
                case .ok, .skipped: BilingualText(ja: "問題はありません。", en: "No problem found.")
                }
            return "\(mark.symbol) カード \(placed) 枚が置かれ、\(removed) 枚が取り除かれました。\(text.ja) / "
                + "\(placed) card(s) placed, \(removed) taken off. \(text.en)"
        }
    }
}
