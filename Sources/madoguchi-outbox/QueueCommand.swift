import ArgumentParser
import CLISupport
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Outbox
import OutboxStore

/// `madoguchi queue …`: the submissions waiting to be sent.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "送信待ちキュー / The outbox queue: status, list, retry.",
        subcommands: [Status.self, List.self, Retry.self])

    /// The outbox opened for staff: with the key when it loads, else metadata only, with
    /// the key's problem kept to show.
    static func open(_ options: OutboxOptions) throws(ExitCode) -> (OutboxDatabase, OutboxSettings, KeyState) {
        let settings = try options.settings()
        let source = options.keySource(settings)
        var keyState: KeyState
        var key: OutboxKey?
        do {
            key = try OutboxKey.load(from: source)
            keyState = .usable(source: source.description, fingerprint: key?.fingerprint ?? "")
        } catch {
            keyState = .unusable(source: source.description, error)
        }
        let limits = OutboxLimits(maxSubmissions: settings.maxPending, minFreeBytes: Int64(settings.minFreeMegabytes) << 20)
        let path = options.databasePath(settings)
        do throws(OutboxError) {
            return (try OutboxDatabase(existing: path, key: key, limits: limits), settings, keyState)
        } catch .wrongKey {
            keyState = .unusable(source: source.description, .wrongKey(database: path))
        } catch {
            throw options.fail(error)
        }
        do throws(OutboxError) {
            return (try OutboxDatabase(existing: path, key: nil, limits: limits), settings, keyState)
        } catch {
            throw options.fail(error)
        }
    }

    /// Whether the configured key loaded and opens the queue.
    enum KeyState {
        case usable(source: String, fingerprint: String)
        case unusable(source: String, OutboxError)
    }

    /// `madoguchi queue status`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "件数・最古・送信不能・一時停止・最終送信・次回送信 / Depth, oldest, dead letters, pause, last sync, next attempt.")

        @OptionGroup var options: OutboxOptions

        @Flag(help: "JSON で出力 / Print JSON.")
        var json = false

        func run() throws {
            let (database, settings, keyState) = try QueueCommand.open(options)
            defer { try? database.close() }
            let status: QueueStatus
            do {
                status = try database.status()
            } catch {
                throw options.fail(error)
            }
            let now = Date()
            if json {
                Output.line(QueueJSON.status(status, database: database.path, key: keyState, warnPending: settings.warnPending, now: now))
                return
            }
            let lang = options.lang
            func line(_ ja: String, _ en: String, _ value: BilingualText) {
                let label = lang == .ja ? ja : lang == .en ? en : "\(ja) / \(en)"
                Output.line("  \(label): \(value.ja == value.en ? value.ja : lang.text(value))")
            }
            func same(_ text: String) -> BilingualText { BilingualText(ja: text, en: text) }
            Output.line(lang.text(BilingualText(ja: "送信待ちキュー \(database.path)", en: "Outbox \(database.path)")))
            switch keyState {
            case .usable(let source, let fingerprint):
                line("鍵", "key", BilingualText(ja: "使用可(識別子 \(fingerprint)、\(source))", en: "usable (fingerprint \(fingerprint), \(source))"))
            case .unusable(_, let error):
                line("鍵", "key", BilingualText(ja: "使用不可: \(error.text.ja)", en: "unusable: \(error.text.en)"))
            }
            line("送信待ち", "waiting", BilingualText(
                ja: "\(status.waiting) 件(うち印刷結果待ち \(status.awaitingPrint)、送信中 \(status.delivering))",
                en: "\(status.waiting) (awaiting print \(status.awaitingPrint), sending \(status.delivering))"))
            if status.waiting > settings.warnPending {
                line("警告", "warning", BilingualText(
                    ja: "送信待ちが warnPending(\(settings.warnPending))を超えています。ネットワークと送信先を確認してください。",
                    en: "More than warnPending (\(settings.warnPending)) submissions wait. Check the network and the back office."))
            }
            line("最も古い送信待ち", "oldest waiting", status.oldestWaiting.map { TimeText.moment($0, now: now) } ?? BilingualText(ja: "なし", en: "none"))
            line("送信不能", "dead letters", BilingualText(
                ja: "\(status.deadLetters) 件\(status.deadLetters > 0 ? "(madoguchi queue list --state dead-letter で確認)" : "")",
                en: "\(status.deadLetters)\(status.deadLetters > 0 ? " (see madoguchi queue list --state dead-letter)" : "")"))
            if let paused = status.paused {
                let since = TimeText.moment(paused.since, now: now)
                line("一時停止", "paused", BilingualText(
                    ja: "はい、\(since.ja)から(理由: \(paused.reason))。認証情報を直してから madoguchi queue retry --all で再開",
                    en: "yes, since \(since.en) (\(paused.reason)). Fix the credentials, then resume with madoguchi queue retry --all"))
            } else {
                line("一時停止", "paused", BilingualText(ja: "いいえ", en: "no"))
            }
            line("最終送信", "last sync", status.lastSyncAt.map { TimeText.moment($0, now: now) } ?? BilingualText(ja: "まだありません", en: "never"))
            let next: BilingualText
            if status.waiting == 0 {
                next = BilingualText(ja: "なし(送信待ちなし)", en: "none (nothing waits)")
            } else if status.paused != nil {
                next = BilingualText(ja: "一時停止中", en: "paused")
            } else if let at = status.nextAttemptAt {
                next = TimeText.moment(at, now: now)
            } else if status.awaitingPrint == status.waiting {
                next = BilingualText(ja: "印刷結果の記録後", en: "after the print result is recorded")
            } else {
                next = BilingualText(ja: "今すぐ", en: "now")
            }
            line("次回送信", "next attempt", next)
            line("上限", "limit", same("\(status.waiting + status.deadLetters) / \(status.limit)"))
        }
    }

    /// `madoguchi queue list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "提出の一覧(内容は表示しません)/ Lists submissions (never their content).")

        @OptionGroup var options: OutboxOptions

        @Option(help: "この状態だけ / Only this state: pending, delivering or dead-letter.")
        var state: StateFilter?

        @Flag(help: "JSON で出力 / Print JSON.")
        var json = false

        func run() throws {
            let (database, _, _) = try QueueCommand.open(options)
            defer { try? database.close() }
            var entries: [OutboxEntry]
            do {
                entries = try database.entries()
            } catch {
                throw options.fail(error)
            }
            if let state { entries = entries.filter { $0.state == state.state } }
            let now = Date()
            if json {
                Output.line(QueueJSON.list(entries))
                return
            }
            if entries.isEmpty {
                Output.line(options.lang.text(BilingualText(ja: "提出はありません。", en: "No submissions.")))
                return
            }
            for entry in entries {
                let printText = entry.print.map { "\($0.outcome.rawValue)" } ?? "-"
                var fields = [
                    entry.id.description, entry.state.rawValue, "\(entry.form)@\(entry.formVersion)",
                    TimeText.timestamp(entry.createdAt), "print=\(printText)", "attempts=\(entry.attempts)",
                ]
                if let next = entry.nextAttemptAt { fields.append("next=\(TimeText.timestamp(next))") }
                if let status = entry.lastStatus { fields.append("status=\(status)") }
                if let problem = entry.lastError { fields.append("error=\"\(problem)\"") }
                Output.line(fields.joined(separator: "  "))
            }
            let count = entries.count
            Output.line(options.lang.text(BilingualText(ja: "\(count) 件(\(TimeText.timestamp(now)) 現在)", en: "\(count) submissions (as of \(TimeText.timestamp(now)))")))
        }
    }

    /// `madoguchi queue retry`.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "再送信 / Sends again: one submission, or --all (also lifts a pause).",
            discussion: """
                送信不能(dead-letter)の提出を送信待ちに戻し、待機中の再試行を今すぐにします。
                Moves a dead letter back to waiting and ends a back-off now. The daemon sends it at its next pass.
                """)

        @OptionGroup var options: OutboxOptions

        @Argument(help: "提出の id(UUID)/ The submission id (a UUID).")
        var id: String?

        @Flag(help: "すべての提出と一時停止 / Every submission, and lift a pause.")
        var all = false

        func validate() throws {
            guard (id != nil) != all else {
                throw ValidationError("id か --all のどちらか一つを指定してください / Give either an id or --all, not both or neither.")
            }
            if let id, SubmissionID(id) == nil {
                throw ValidationError("id \(id.prefix(64)) は UUID ではありません / The id is not a UUID (e.g. 0f8c2a4e-…).")
            }
        }

        func run() throws {
            let (database, _, _) = try QueueCommand.open(options)
            defer { try? database.close() }
            let changed: Int
            do {
                changed = try database.retry(id.flatMap(SubmissionID.init))
            } catch {
                throw options.fail(error)
            }
            Output.line(options.lang.text(BilingualText(
                ja: "再送信の対象にしました: \(changed) 件\(all ? "(一時停止も解除)" : "")。デーモンが次の送信時に送ります。",
                en: "Marked for sending again: \(changed)\(all ? " (and lifted any pause)" : ""). The daemon sends at its next pass.")))
        }
    }
}

/// `--state`: a `DeliveryState` by its name.
enum StateFilter: String, ExpressibleByArgument, CaseIterable {
    case pending, delivering
    case deadLetter = "dead-letter"

    var state: DeliveryState { DeliveryState(rawValue: rawValue) ?? .pending }
}

/// Times as people read them: the local time with its offset, and how long ago.
enum TimeText {
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .current))
    }

    /// `2026-11-23T09:00:00+09:00(2 時間 5 分前)` / `… (2h 5m ago)`; future times say "in".
    static func moment(_ date: Date, now: Date) -> BilingualText {
        let stamp = timestamp(date)
        let seconds = Int(now.timeIntervalSince(date).rounded())
        let span = abs(seconds)
        let (ja, en): (String, String)
        switch span {
        case ..<60: (ja, en) = ("\(span) 秒", "\(span)s")
        case ..<3600: (ja, en) = ("\(span / 60) 分", "\(span / 60)m")
        case ..<86400: (ja, en) = ("\(span / 3600) 時間 \(span % 3600 / 60) 分", "\(span / 3600)h \(span % 3600 / 60)m")
        default: (ja, en) = ("\(span / 86400) 日 \(span % 86400 / 3600) 時間", "\(span / 86400)d \(span % 86400 / 3600)h")
        }
        return seconds >= 0
            ? BilingualText(ja: "\(stamp)(\(ja)前)", en: "\(stamp) (\(en) ago)")
            : BilingualText(ja: "\(stamp)(\(ja)後)", en: "\(stamp) (in \(en))")
    }
}

/// The `--json` shapes: documented in docs/development.md ("The outbox").
enum QueueJSON {
    static func status(_ status: QueueStatus, database: String, key: QueueCommand.KeyState, warnPending: Int, now: Date) -> String {
        var object: [String: Any] = [
            "database": database,
            "waiting": status.waiting,
            "awaitingPrint": status.awaitingPrint,
            "delivering": status.delivering,
            "deadLetters": status.deadLetters,
            "limit": status.limit,
            "warnPending": warnPending,
            "oldestWaitingAt": status.oldestWaiting.map(TimeText.timestamp) ?? NSNull(),
            "oldestWaitingSeconds": status.oldestWaiting.map { Int(now.timeIntervalSince($0)) } ?? NSNull(),
            "lastSyncAt": status.lastSyncAt.map(TimeText.timestamp) ?? NSNull(),
            "nextAttemptAt": status.nextAttemptAt.map(TimeText.timestamp) ?? NSNull(),
            "paused": status.paused.map { ["reason": $0.reason, "since": TimeText.timestamp($0.since)] as [String: Any] } ?? NSNull(),
        ]
        switch key {
        case .usable(let source, let fingerprint):
            object["key"] = ["usable": true, "source": source, "fingerprint": fingerprint] as [String: Any]
        case .unusable(let source, let error):
            object["key"] = ["usable": false, "source": source, "problem": error.text.en] as [String: Any]
        }
        return encode(object)
    }

    static func list(_ entries: [OutboxEntry]) -> String {
        encode(entries.map { entry -> [String: Any] in
            var object: [String: Any] = [
                "id": entry.id.description,
                "state": entry.state.rawValue,
                "form": entry.form,
                "formVersion": entry.formVersion,
                "createdAt": TimeText.timestamp(entry.createdAt),
                "attempts": entry.attempts,
                "sealedBytes": entry.sealedBytes,
                "nextAttemptAt": entry.nextAttemptAt.map(TimeText.timestamp) ?? NSNull(),
                "lastStatus": entry.lastStatus ?? NSNull(),
                "lastError": entry.lastError ?? NSNull(),
            ]
            if let print = entry.print {
                object["print"] = (try? JSONSerialization.jsonObject(with: Data(print.json.utf8))) ?? NSNull()
            } else {
                object["print"] = NSNull()
            }
            return object
        })
    }

    private static func encode(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
