import AsyncHTTPClient
import DaemonSupport
import Diagnostics
import Foundation
import MadoguchiConfig
import MadoguchiCore
import NIOCore
import NIOSSL
import Sync

/// The `backoffice` section: DNS, TCP, the credential files (and the client certificate's
/// dates), TLS (the server's certificate: trusted, named, dated), `GET /v1/health`, then
/// `GET /v1/whoami` with the kiosk's credentials (schemas/openapi.yaml), each with a short
/// timeout; the first step that fails is ✗ and the later ones are not tried.
enum BackofficeChecks {
    static let title = BilingualText(ja: "送信先(バックオフィス)", en: "Back office")
    static let timeout = Duration.seconds(5)

    static func section(_ settings: BackofficeSettings, kiosk: String, environment: [String: String]) async -> DiagnosticSection {
        DiagnosticSection(id: "backoffice", title: title, checks: await checks(settings, kiosk: kiosk, environment: environment))
    }

    static func checks(_ settings: BackofficeSettings, kiosk: String, environment: [String: String]) async -> [DiagnosticCheck] {
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
        if case .clientCertificate(let file, _) = sync.credential {
            checks.append(clientCertificate(file, now: Date()))
            if checks.last?.mark == .failure { return checks }
        }
        if components.scheme == "http" {
            // The configuration allows plain HTTP only to this machine (configuration.md).
            checks.append(
                .skipped("tls", ja: "平文の HTTP(この端末の中だけ、試験用): TLS はありません。", en: "Plain HTTP (to this machine only, for tests): no TLS."))
        } else {
            checks.append(await tls(sync, host: bare, shown: host, port: port, now: Date()))
            if checks.last?.mark == .failure { return checks }
        }
        let client: HTTPClient
        do {
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try sync.clientConfiguration())
        } catch {
            checks.append(
                .failure(
                    "health", BilingualText(ja: "TLS の設定を作れません(\(error))。", en: "Cannot set up TLS (\(error))."),
                    next: BilingualText(
                        ja: "[backoffice] caFile・clientCertificate・鍵が PEM で、証明書と鍵が対になっているか確かめてください。",
                        en: "Check that [backoffice] caFile, clientCertificate and its key are PEM, and that the certificate and key belong together.")))
            return checks
        }
        checks.append(await health(sync, client: client))
        if checks.last?.mark != .failure {
            checks.append(await auth(sync, client: client, kiosk: kiosk))
        }
        try? await client.shutdown()
        return checks
    }

    /// `GET /v1/health` with the kiosk's TLS settings, no credential.
    static func health(_ sync: SyncSettings, client: HTTPClient) async -> DiagnosticCheck {
        let url = sync.baseURL + "/v1/health"
        let next = BilingualText(
            ja: "送信先の管理者に状態を問い合わせてください(TLS の誤りなら [backoffice] caFile と端末の時計も確認)。",
            en: "Ask the back office's operators about its state (for TLS errors, check [backoffice] caFile and this kiosk's clock too).")
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            if response.status.code == 200 {
                return .ok("health", ja: "\(url) は正常と答えました(200)。", en: "\(url) answered healthy (200).")
            }
            return .failure(
                "health",
                BilingualText(ja: "\(url) が \(response.status.code) を返しました。", en: "\(url) answered \(response.status.code)."),
                next: next)
        } catch {
            let reason = tlsReason("\(error)")
            return .failure(
                "health", BilingualText(ja: "\(url) に問い合わせできません(\(reason))。", en: "\(url) did not answer (\(reason))."), next: next)
        }
    }

    /// `GET /v1/whoami` with the kiosk's credentials: the back office accepts them (2xx),
    /// and they name this kiosk; the round trip's time. The token never reaches the output.
    static func auth(_ sync: SyncSettings, client: HTTPClient, kiosk: String) async -> DiagnosticCheck {
        let url = sync.baseURL + "/v1/whoami"
        var request = HTTPClientRequest(url: url)
        let how: String
        switch sync.credential {
        case .bearer(let token):
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            how = "bearer"
        case .clientCertificate: how = "mtls"
        case .none: how = "none"
        }
        let retry = BilingualText(ja: "直したら madoguchi queue retry --all で送信を再開してください。", en: "Once fixed, resume sending with madoguchi queue retry --all.")
        let credentialFix = Self.credentialFix(sync.credential)
        let started = ContinuousClock.now
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .seconds(5))
            body = try await response.body.collect(upTo: 64 << 10)
        } catch {
            // With TLS 1.3 a refused client certificate shows only now, after the handshake.
            let reason = tlsReason("\(error)")
            let refused =
                how == "mtls"
                ? BilingualText(ja: "送信先がこの端末のクライアント証明書を拒んだ可能性があります。", en: " The back office may have refused this kiosk's client certificate.")
                : BilingualText(ja: "", en: "")
            return .failure(
                "auth",
                BilingualText(ja: "\(url) に問い合わせできません(\(reason))。\(refused.ja)", en: "\(url) did not answer (\(reason)).\(refused.en)"),
                next: BilingualText(
                    ja: "送信先の管理者に問い合わせてください。\(how == "mtls" ? credentialFix.ja : "")",
                    en: "Ask the back office's operators.\(how == "mtls" ? " " + credentialFix.en : "")"))
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let code = Int(response.status.code)
        switch code {
        case 200..<300:
            guard let named = Self.kiosk(in: body), named != kiosk else {
                return .ok(
                    "auth", ja: "送信先はこの端末の認証情報(\(how))を受け付けました(\(code)、往復 \(milliseconds) ms)。",
                    en: "The back office accepts this kiosk's credentials (\(how); \(code), round trip \(milliseconds) ms).")
            }
            return .failure(
                "auth",
                BilingualText(
                    ja: "送信先は認証情報を端末 \(named) のものとして受け付けました。この端末は \(kiosk) なので、申請は拒否されます(403)。",
                    en: "The back office takes these credentials as kiosk \(named)'s, but this kiosk is \(kiosk): its submissions would be refused (403)."),
                next: BilingualText(ja: credentialFix.ja + retry.ja, en: credentialFix.en + " " + retry.en))
        case 401, 403:
            return .failure(
                "auth",
                BilingualText(
                    ja: "送信先がこの端末の認証情報(\(how))を拒否しました(\(code))。この答えで送信待ちキューは一時停止します。",
                    en: "The back office refused this kiosk's credentials (\(how); \(code)). At this answer the outbox pauses sending."),
                next: BilingualText(ja: credentialFix.ja + retry.ja, en: credentialFix.en + " " + retry.en))
        case 404:
            return .failure(
                "auth", BilingualText(ja: "\(url) が 404 を返しました。", en: "\(url) answered 404."),
                next: BilingualText(
                    ja: "[backoffice] url のパスを確かめ、送信先が GET /v1/whoami(openapi.yaml)に対応しているか管理者に問い合わせてください。",
                    en: "Check the path of [backoffice] url, and ask the operators whether the back office offers GET /v1/whoami (openapi.yaml)."))
        default:
            return .failure(
                "auth", BilingualText(ja: "\(url) が \(code) を返しました。", en: "\(url) answered \(code)."),
                next: BilingualText(ja: "送信先の管理者に状態を問い合わせてください。", en: "Ask the back office's operators about its state."))
        }
    }

    /// What to check when the back office refuses the kiosk's credential.
    static func credentialFix(_ credential: SyncSettings.Credential) -> BilingualText {
        switch credential {
        case .clientCertificate:
            BilingualText(
                ja: "[backoffice] clientCertificate がこの端末の証明書(CN が端末 ID)で、送信先が信頼する CA の発行か、送信先の管理者に確かめてください。",
                en: "Check with the back office's operators that [backoffice] clientCertificate is this kiosk's certificate (its CN the kiosk id), issued by a CA they trust.")
        case .bearer, .none:
            BilingualText(
                ja: "[backoffice] tokenFile(または tokenCredential)の 1 行目が、送信先がこの端末に発行したトークン(madoguchi-backoffice token add)か確かめ、違えば新しいトークンを発行してもらってください。",
                en: "Check that the first line of [backoffice] tokenFile (or tokenCredential) is the token the back office issued to this kiosk (madoguchi-backoffice token add); if not, ask for a new one.")
        }
    }

    /// The `tls` line for a handshake that ended without a verdict on the certificate: an
    /// alert from the server (with mutual TLS, it refused the client certificate), or no
    /// TLS at all.
    static func handshakeFailure(_ failure: TLSProbe.Failure, place: String, credential: SyncSettings.Credential) -> DiagnosticCheck {
        let mtls: Bool
        if case .clientCertificate = credential { mtls = true } else { mtls = false }
        switch failure {
        case .alert(let reason) where mtls:
            let fix = credentialFix(credential)
            return .failure(
                "tls",
                BilingualText(
                    ja: "送信先が TLS の警告(\(reason))で接続を切りました。この端末のクライアント証明書を受け付けていません。",
                    en: "The back office ended the TLS connection with an alert (\(reason)): it does not accept this kiosk's client certificate."),
                next: BilingualText(
                    ja: fix.ja + "直したら madoguchi queue retry --all で送信を再開してください。",
                    en: fix.en + " Once fixed, resume sending with madoguchi queue retry --all."))
        case .alert(let reason):
            return .failure(
                "tls",
                BilingualText(ja: "送信先が TLS の警告(\(reason))で接続を切りました。", en: "The back office ended the TLS connection with an alert (\(reason))."),
                next: BilingualText(
                    ja: "送信先の管理者に問い合わせてください(クライアント証明書を求める送信先なら [backoffice] auth = \"mtls\" です)。",
                    en: "Ask the back office's operators (a back office that asks for client certificates needs [backoffice] auth = \"mtls\")."))
        case .certificateNotVerified, .nameMismatch, .other:
            return .failure(
                "tls",
                BilingualText(ja: "\(place) と TLS で接続できません(\(failure))。", en: "No TLS handshake with \(place) (\(failure))."),
                next: BilingualText(
                    ja: "[backoffice] url が送信先の HTTPS のポートか確かめ、送信先の管理者に問い合わせてください。",
                    en: "Check that [backoffice] url is the back office's HTTPS port, and ask its operators."))
        }
    }

    /// The kiosk id a `/v1/whoami` answer names, or nil when the body is not that answer
    /// (anything else a server says is not repeated).
    static func kiosk(in body: ByteBuffer) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let kiosk = object["kiosk"] as? String, kiosk.utf8.count <= 64,
            kiosk.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        return kiosk
    }

    /// The kiosk's own client certificate (mutual TLS): its dates, 30 days' warning.
    static func clientCertificate(_ file: String, now: Date) -> DiagnosticCheck {
        let facts: CertificateFacts
        do {
            facts = try CertificateFacts(pemFile: file)
        } catch {
            return .failure(
                "client-certificate",
                BilingualText(ja: "クライアント証明書 \(file) を読めません(\(error))。", en: "Cannot read the client certificate \(file) (\(error))."),
                next: BilingualText(
                    ja: "[backoffice] clientCertificate が PEM の証明書か確かめ、送信先の管理者から受け取り直してください。",
                    en: "Check that [backoffice] clientCertificate is a PEM certificate; get it again from the back office's operators."))
        }
        let renew = BilingualText(
            ja: "送信先の管理者にこの端末の新しいクライアント証明書を発行してもらい、[backoffice] clientCertificate と鍵を入れ替えてください。",
            en: "Ask the back office's operators for a new client certificate for this kiosk, and replace [backoffice] clientCertificate and its key.")
        let clock = Self.clock(now)
        switch facts.timing(at: now) {
        case .valid(let until, let days):
            return .ok(
                "client-certificate", ja: "この端末のクライアント証明書(\(facts.subject))は \(CertificateTiming.text(until)) まで有効です(残り \(days) 日)。",
                en: "This kiosk's client certificate (\(facts.subject)) is valid until \(CertificateTiming.text(until)) (\(days) days).")
        case .expiresSoon(let until, let days):
            return .warning(
                "client-certificate",
                BilingualText(
                    ja: "この端末のクライアント証明書(\(facts.subject))は \(CertificateTiming.text(until)) に期限が切れます(残り \(days) 日)。",
                    en: "This kiosk's client certificate (\(facts.subject)) expires on \(CertificateTiming.text(until)) (\(days) days left)."),
                next: BilingualText(ja: renew.ja + "期限までに行ってください。", en: renew.en + " Do it before it expires."))
        case .expired(let on):
            return .failure(
                "client-certificate",
                BilingualText(
                    ja: "この端末のクライアント証明書(\(facts.subject))は \(CertificateTiming.text(on)) に期限が切れています。",
                    en: "This kiosk's client certificate (\(facts.subject)) expired on \(CertificateTiming.text(on))."),
                next: BilingualText(ja: renew.ja + clock.ja, en: renew.en + " " + clock.en))
        case .notYetValid(let from):
            return .failure(
                "client-certificate",
                BilingualText(
                    ja: "この端末のクライアント証明書(\(facts.subject))は \(CertificateTiming.text(from)) からしか使えません。",
                    en: "This kiosk's client certificate (\(facts.subject)) is valid only from \(CertificateTiming.text(from))."),
                next: BilingualText(ja: Self.clock(now, first: true).ja + renew.ja, en: Self.clock(now, first: true).en + " " + renew.en))
        }
    }

    /// "Check this kiosk's clock": vehicles drift while offline, and a wrong clock makes
    /// good certificates look expired or not yet valid.
    static func clock(_ now: Date, first: Bool = false) -> BilingualText {
        BilingualText(
            ja: "\(first ? "まず" : "")端末の時計\(first ? "を" : "も")確かめてください(今 \(CertificateTiming.text(now)) を指しています。timedatectl status、移動車両では時刻がずれやすい)。",
            en: "Check this kiosk's clock\(first ? " first" : " too") (it says \(CertificateTiming.text(now)); timedatectl status — vehicles drift while offline).")
    }

    /// The TLS step: a handshake without verification reads the server's certificate, one
    /// with the kiosk's own settings (caFile, client certificate, as the sync worker uses
    /// them) says whether it is accepted, and the certificate's dates say for how long.
    static func tls(_ sync: SyncSettings, host: String, shown: String, port: Int, now: Date) async -> DiagnosticCheck {
        let place = "\(shown):\(port)"
        let configuration: TLSConfiguration
        do {
            configuration = try sync.clientConfiguration().tlsConfiguration ?? .makeClientConfiguration()
        } catch {
            return .failure(
                "tls", BilingualText(ja: "TLS の設定を作れません(\(error))。", en: "Cannot set up TLS (\(error))."),
                next: BilingualText(
                    ja: "[backoffice] clientCertificate と鍵が PEM で、対になっているか確かめてください。",
                    en: "Check that [backoffice] clientCertificate and its key are PEM and belong together."))
        }
        var reading = configuration
        reading.certificateVerification = .none
        let der: [UInt8]
        switch await TLSProbe.handshake(host: host, port: port, configuration: reading, timeout: timeout) {
        case .success(let leaf): der = leaf
        case .failure(let failure): return handshakeFailure(failure, place: place, credential: sync.credential)
        }
        let facts: CertificateFacts
        do {
            facts = try CertificateFacts(der: der)
        } catch {
            return .failure(
                "tls", BilingualText(ja: "\(place) の証明書を読めません(\(error))。", en: "Cannot read the certificate of \(place) (\(error))."),
                next: BilingualText(ja: "送信先の管理者に証明書を確かめてもらってください。", en: "Ask the back office's operators to check their certificate."))
        }
        let timing = facts.timing(at: now)
        let renew = BilingualText(ja: "送信先の管理者に証明書の更新を依頼してください。", en: "Ask the back office's operators to renew their certificate.")
        let clock = Self.clock(now)
        switch await TLSProbe.handshake(host: host, port: port, configuration: configuration, confirm: true, timeout: timeout) {
        case .success:
            switch timing {
            case .valid(let until, let days):
                return .ok(
                    "tls", ja: "\(place) の証明書は信頼でき、\(CertificateTiming.text(until)) まで有効です(残り \(days) 日、発行者 \(facts.issuer))。",
                    en: "The certificate of \(place) is trusted and valid until \(CertificateTiming.text(until)) (\(days) days; issuer \(facts.issuer)).")
            case .expiresSoon(let until, let days):
                return .warning(
                    "tls",
                    BilingualText(
                        ja: "\(place) の証明書は \(CertificateTiming.text(until)) に期限が切れます(残り \(days) 日)。",
                        en: "The certificate of \(place) expires on \(CertificateTiming.text(until)) (\(days) days left)."),
                    next: BilingualText(ja: renew.ja + "期限が切れると送信できなくなります。", en: renew.en + " Once it expires, nothing can be sent."))
            case .expired, .notYetValid:
                // Verified a moment ago: the clock moved between the two; say it as found.
                break
            }
        case .failure(.nameMismatch):
            let names = facts.names.isEmpty ? facts.subject : facts.names.joined(separator: ", ")
            return .failure(
                "tls",
                BilingualText(
                    ja: "\(place) の証明書は \(shown) の名前を持っていません(証明書の名前: \(names))。",
                    en: "The certificate of \(place) does not name \(shown) (it names \(names))."),
                next: BilingualText(
                    ja: "[backoffice] url のホスト名を証明書の名前に合わせるか、送信先の管理者に \(shown) の証明書を依頼してください。",
                    en: "Set the host of [backoffice] url to a name the certificate holds, or ask the back office's operators for a certificate that names \(shown)."))
        case .failure(.certificateNotVerified):
            switch timing {
            case .expired, .notYetValid: break
            case .valid, .expiresSoon:
                // The sync worker trusts caFile alone when it is set (SyncSettings.clientConfiguration).
                let trust = sync.caFile.map { "[backoffice] caFile (\($0))" } ?? "the system's trust store"
                let trustJA = sync.caFile.map { "[backoffice] caFile(\($0))" } ?? "システム"
                return .failure(
                    "tls",
                    BilingualText(
                        ja: "\(place) の証明書(発行者 \(facts.issuer))を信頼できません。\(trustJA)の信頼する CA が発行したものではありません。",
                        en: "The certificate of \(place) (issuer \(facts.issuer)) is not trusted: no CA in \(trust) issued it."),
                    next: BilingualText(
                        ja: "送信先の管理者から証明書を発行した CA の証明書を受け取り [backoffice] caFile に入れるか、その CA の証明書を使ってもらってください。",
                        en: "Get the certificate of the CA that issued the back office's certificate from its operators and put it in [backoffice] caFile, or ask them to use a certificate from the CA you trust."))
            }
        case .failure(let failure):
            return handshakeFailure(failure, place: place, credential: sync.credential)
        }
        switch timing {
        case .notYetValid(let from):
            return .failure(
                "tls",
                BilingualText(
                    ja: "\(place) の証明書は \(CertificateTiming.text(from)) からしか使えません。",
                    en: "The certificate of \(place) is valid only from \(CertificateTiming.text(from))."),
                next: BilingualText(
                    ja: Self.clock(now, first: true).ja + "時計が正しければ、送信先の管理者に証明書の有効期間を確かめてもらってください。",
                    en: Self.clock(now, first: true).en + " If the clock is right, ask the back office's operators to check their certificate's dates."))
        case .expired(let on):
            return .failure(
                "tls",
                BilingualText(
                    ja: "\(place) の証明書は \(CertificateTiming.text(on)) に期限が切れています。",
                    en: "The certificate of \(place) expired on \(CertificateTiming.text(on))."),
                next: BilingualText(ja: renew.ja + clock.ja, en: renew.en + " " + clock.en))
        case .valid, .expiresSoon:
            // Not reached: every other outcome returned above.
            return .failure(
                "tls", BilingualText(ja: "\(place) の証明書を確かめられません。", en: "Cannot verify the certificate of \(place)."),
                next: BilingualText(ja: "もう一度実行してください。", en: "Run the check again."))
        }
    }
}
