import AsyncHTTPClient
import DaemonSupport
import Diagnostics
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Sync

/// The `backoffice` section: DNS, TCP, the credential files, then `GET /v1/health`
/// (schemas/openapi.yaml), each with a short timeout; the first step that fails is ✗ and
/// the later ones are not tried.
enum BackofficeChecks {
    static let title = BilingualText(ja: "送信先(バックオフィス)", en: "Back office")
    static let timeout = Duration.seconds(5)

    static func section(_ settings: BackofficeSettings, environment: [String: String]) async -> DiagnosticSection {
        DiagnosticSection(id: "backoffice", title: title, checks: await checks(settings, environment: environment))
    }

    static func checks(_ settings: BackofficeSettings, environment: [String: String]) async -> [DiagnosticCheck] {
        guard let url = settings.url else {
            return [.skipped("url", ja: "[backoffice] url が設定されていません(送信しません)。", en: "No [backoffice] url (nothing is sent).")]
        }
        guard let components = URLComponents(string: url), let host = components.host else {
            return [
                .failure(
                    "url", BilingualText(ja: "URL \(url) を読めません。", en: "Cannot read the URL \(url)."),
                    next: BilingualText(ja: "[backoffice] url を直してください。", en: "Fix [backoffice] url."))
            ]
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        var checks: [DiagnosticCheck] = []

        switch SystemProbe.resolve(host: bare, port: port) {
        case .success(let addresses):
            checks.append(
                .ok("dns", ja: "\(host) の名前解決: \(addresses.joined(separator: ", "))。", en: "\(host) resolves to \(addresses.joined(separator: ", ")).")
            )
        case .failure(let failure):
            checks.append(
                .failure(
                    "dns", BilingualText(ja: "\(host) の名前解決に失敗しました(\(failure.reason))。", en: "Cannot resolve \(host) (\(failure.reason))."),
                    next: BilingualText(
                        ja: "ネットワーク(ケーブル・モバイルルーター)と DNS(resolvectl status)、URL のホスト名を確かめてください。",
                        en: "Check the network (cable, mobile router), DNS (resolvectl status) and the URL's host name.")))
            return checks
        }

        switch SystemProbe.connect(host: bare, port: port, timeout: timeout) {
        case .success(let address):
            checks.append(.ok("tcp", ja: "\(address) のポート \(port) に接続できます。", en: "TCP connects to \(address) port \(port)."))
        case .failure(let failure):
            checks.append(
                .failure(
                    "tcp",
                    BilingualText(
                        ja: "\(host) のポート \(port) に接続できません(\(failure.description))。", en: "Cannot connect to \(host) port \(port) (\(failure.description))."),
                    next: BilingualText(
                        ja: "送信先のサーバーが動いているか、ファイアウォールやプロキシがこのポートを通すか確かめてください。",
                        en: "Check that the receiver runs and that firewalls or proxies let this port through.")))
            return checks
        }

        let sync: SyncSettings
        do throws(SyncConfigurationError) {
            guard let made = try SyncSettings.from(settings, environment: environment) else { return checks }
            sync = made
        } catch {
            checks.append(
                .failure(
                    "credentials", BilingualText(ja: "認証情報を使えません: \(error.message.ja)", en: "The credentials cannot be used: \(error.message.en)"),
                    next: BilingualText(
                        ja: "madoguchid --check-config で確かめ、[backoffice] のファイルと権限(0600)を直してください。",
                        en: "Check with madoguchid --check-config; fix the [backoffice] files and their mode (0600).")))
            return checks
        }
        checks.append(.ok("credentials", ja: "認証情報を読めます(\(settings.auth.rawValue))。", en: "The credentials can be read (\(settings.auth.rawValue))."))
        checks.append(await health(sync))
        return checks
    }

    /// `GET /v1/health` with the kiosk's TLS settings.
    static func health(_ sync: SyncSettings) async -> DiagnosticCheck {
        let url = sync.baseURL + "/v1/health"
        let next = BilingualText(
            ja: "送信先の管理者に状態を問い合わせてください(TLS の誤りなら [backoffice] caFile と端末の時計も確認)。",
            en: "Ask the back office's operators about its state (for TLS errors, check [backoffice] caFile and this kiosk's clock too).")
        let client: HTTPClient
        do {
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try sync.clientConfiguration())
        } catch {
            return .failure(
                "health", BilingualText(ja: "TLS の設定を作れません(\(error))。", en: "Cannot set up TLS (\(error))."),
                next: next)
        }
        let check: DiagnosticCheck
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            if response.status.code == 200 {
                check = .ok("health", ja: "\(url) は正常と答えました(200)。", en: "\(url) answered healthy (200).")
            } else {
                check = .failure(
                    "health",
                    BilingualText(ja: "\(url) が \(response.status.code) を返しました。", en: "\(url) answered \(response.status.code)."),
                    next: next)
            }
        } catch {
            check = .failure(
                "health", BilingualText(ja: "\(url) に問い合わせできません(\(error))。", en: "\(url) did not answer (\(error))."), next: next)
        }
        try? await client.shutdown()
        return check
    }
}
