import Diagnostics
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Outbox
import OutboxStore

/// The `outbox` section, as `madoguchi queue status` sees it: the key, depth, oldest age,
/// dead letters, pause. Counts and times only, never a submission's content.
enum OutboxChecks {
    static let title = BilingualText(ja: "送信待ちキュー", en: "Outbox")

    static func section(_ settings: OutboxSettings, environment: [String: String]) -> DiagnosticSection {
        DiagnosticSection(id: "outbox", title: title, checks: checks(settings, environment: environment))
    }

    static func checks(_ settings: OutboxSettings, environment: [String: String]) -> [DiagnosticCheck] {
        let source = OutboxKeySource.configured(keyFile: settings.keyFile, keyCredential: settings.keyCredential, environment: environment)
        let key: OutboxKey
        do throws(OutboxError) {
            key = try OutboxKey.load(from: source)
        } catch {
            return [
                .failure(
                    "key", BilingualText(ja: "鍵を読めません: \(error.text.ja)", en: "The key cannot be loaded: \(error.text.en)"),
                    next: BilingualText(
                        ja: "madoguchi keys check で確かめ、端末の控えから鍵を戻してください(新しいキューなら madoguchi keys init)。",
                        en: "Check with madoguchi keys check and restore the key from the kiosk's backup (madoguchi keys init for a new queue only)."))
            ]
        }
        let limits = OutboxLimits(maxSubmissions: settings.maxPending, minFreeBytes: Int64(settings.minFreeMegabytes) << 20)
        let database: OutboxDatabase
        do throws(OutboxError) {
            database = try OutboxDatabase(existing: settings.path, key: key, limits: limits)
        } catch .wrongKey {
            return [
                .failure(
                    "key", BilingualText(ja: "鍵でキューを開けません(別の鍵です)。", en: "The key does not open the outbox (it is another key)."),
                    next: BilingualText(
                        ja: "この端末の鍵を控えから \(source.path) に戻し、madoguchi keys check で確かめてください。",
                        en: "Restore this kiosk's key from its backup to \(source.path), then check with madoguchi keys check."))
            ]
        } catch .notCreated {
            return [
                .warning(
                    "database", BilingualText(ja: "キュー \(settings.path) はまだ作られていません。", en: "The outbox \(settings.path) is not created yet."),
                    next: BilingualText(ja: "madoguchid を起動すると作られます。", en: "Starting madoguchid creates it."))
            ]
        } catch {
            return [
                .failure(
                    "database", BilingualText(ja: "キューを開けません: \(error.text.ja)", en: "The outbox cannot be opened: \(error.text.en)"),
                    next: BilingualText(
                        ja: "ファイルの権限と空き容量を確かめ、madoguchi queue status で詳しく見てください。",
                        en: "Check the file's permissions and free space; see madoguchi queue status for details."))
            ]
        }
        defer { try? database.close() }
        let status: QueueStatus
        do throws(OutboxError) {
            status = try database.status()
        } catch {
            return [
                .failure(
                    "database", BilingualText(ja: "キューを読めません: \(error.text.ja)", en: "The outbox cannot be read: \(error.text.en)"),
                    next: BilingualText(ja: "madoguchi queue status で詳しく見てください。", en: "See madoguchi queue status for details."))
            ]
        }
        var checks: [DiagnosticCheck] = [
            .ok("key", ja: "鍵でキューを開けます(識別子 \(key.fingerprint))。", en: "The key opens the outbox (fingerprint \(key.fingerprint)).")
        ]
        let depth = BilingualText(ja: "送信待ち \(status.waiting) 件。", en: "\(status.waiting) submission(s) waiting.")
        if status.waiting > settings.warnPending {
            checks.append(
                .warning(
                    "depth", BilingualText(ja: depth.ja + "warnPending(\(settings.warnPending))を超えています。", en: depth.en + " More than warnPending (\(settings.warnPending))."),
                    next: BilingualText(ja: "ネットワークと送信先(下の「送信先」)を確かめてください。", en: "Check the network and the back office (below).")))
        } else {
            checks.append(DiagnosticCheck("depth", .ok, depth))
        }
        if let oldest = status.oldestWaiting {
            let minutes = max(0, Int(Date().timeIntervalSince(oldest) / 60))
            let age = BilingualText(ja: "最も古い送信待ちは \(minutes) 分前。", en: "The oldest waits for \(minutes) min.")
            if minutes > 24 * 60 {
                checks.append(
                    .warning(
                        "oldest", age,
                        next: BilingualText(ja: "1 日以上送れていません。ネットワークと送信先を確かめてください。", en: "Nothing sent for over a day: check the network and the back office.")))
            } else {
                checks.append(DiagnosticCheck("oldest", .ok, age))
            }
        } else {
            checks.append(.ok("oldest", ja: "送信待ちはありません。", en: "Nothing waits."))
        }
        if status.deadLetters > 0 {
            checks.append(
                .warning(
                    "dead-letters", BilingualText(ja: "送信不能 \(status.deadLetters) 件。", en: "\(status.deadLetters) dead letter(s)."),
                    next: BilingualText(
                        ja: "madoguchi queue list --state dead-letter で理由を確かめ、送信先で直したら madoguchi queue retry で送り直してください。",
                        en: "See why with madoguchi queue list --state dead-letter; once the back office is fixed, send again with madoguchi queue retry.")))
        } else {
            checks.append(.ok("dead-letters", ja: "送信不能はありません。", en: "No dead letters."))
        }
        if let paused = status.paused {
            checks.append(
                .warning(
                    "paused", BilingualText(ja: "送信を一時停止しています(理由: \(paused.reason))。", en: "Sending is paused (\(paused.reason))."),
                    next: BilingualText(
                        ja: "[backoffice] の URL と認証情報を直してから madoguchi queue retry --all で再開してください。",
                        en: "Fix the [backoffice] URL and credentials, then resume with madoguchi queue retry --all.")))
        } else {
            checks.append(.ok("paused", ja: "送信は止まっていません。", en: "Sending is not paused."))
        }
        return checks
    }
}
