import ArgumentParser
import CLISupport
import Foundation
import MadoguchiCore
import Outbox
import OutboxStore

/// `madoguchi keys …`: the key that seals the outbox.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "送信待ちキューの鍵 / The outbox key.",
        subcommands: [Initialize.self, Check.self])

    /// `madoguchi keys init`: a new random key in a new 0600 file, once, at install.
    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "鍵を作成します(設置時に一度だけ)/ Creates the key (once, at install).",
            discussion: """
                既存の鍵は上書きしません。鍵を失うと送信待ちの提出は読めなくなります。
                An existing key is never replaced: without it, waiting submissions cannot be read.
                """)

        @OptionGroup var options: OutboxOptions

        @Option(help: "作成するファイル / The file to create (default --key-file, else [outbox] keyFile).")
        var file: String?

        func run() throws {
            let settings = try options.settings()
            let path = file ?? options.keyFile ?? settings.keyFile
            let key: OutboxKey
            do {
                key = try OutboxKey.create(at: path)
            } catch {
                throw options.fail(error)
            }
            Output.line(options.lang.text(BilingualText(
                ja: "鍵を作成しました: \(path)(mode 0600、識別子 \(key.fingerprint))。",
                en: "Created the key: \(path) (mode 0600, fingerprint \(key.fingerprint)).")))
            if let credential = settings.keyCredential {
                Output.line(options.lang.text(BilingualText(
                    ja: "設定は資格情報 \(credential) を使います: madoguchid.service は LoadCredential= で /etc/madoguchi/outbox.key をデーモンに渡します(別の場所ならドロップインで変えてください)。TPM で封じるには systemd-creds encrypt と LoadCredentialEncrypted= を使います(systemd.md)。",
                    en: "The configuration uses the credential \(credential): madoguchid.service hands /etc/madoguchi/outbox.key to the daemon with LoadCredential= (a key elsewhere needs a drop-in). To seal it to the TPM, use systemd-creds encrypt and LoadCredentialEncrypted= (systemd.md).")))
            }
        }
    }

    /// `madoguchi keys check`: the configured key is readable, well-formed and opens the outbox.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "鍵を確認します / Checks that the key is usable and opens the outbox.")

        @OptionGroup var options: OutboxOptions

        func run() throws {
            let settings = try options.settings()
            let source = options.keySource(settings)
            let key: OutboxKey
            do {
                key = try OutboxKey.load(from: source)
            } catch {
                throw options.fail(error)
            }
            Output.line(options.lang.text(BilingualText(
                ja: "鍵は使えます: \(source)(識別子 \(key.fingerprint))。",
                en: "The key is usable: \(source) (fingerprint \(key.fingerprint)).")))
            let path = options.databasePath(settings)
            do throws(OutboxError) {
                let database = try OutboxDatabase(existing: path, key: key, limits: OutboxLimits())
                try database.close()
                Output.line(options.lang.text(BilingualText(
                    ja: "送信待ちキュー \(path) はこの鍵で開けます。", en: "The outbox \(path) opens with this key.")))
            } catch .notCreated {
                Output.line(options.lang.text(BilingualText(
                    ja: "送信待ちキュー \(path) はまだありません(デーモンが初回起動時に作成します)。",
                    en: "There is no outbox at \(path) yet (the daemon creates it at its first start).")))
            } catch {
                throw options.fail(error)
            }
        }
    }
}
