import Diagnostics
import Foundation
import MadoguchiCore
import MyNumberCard
import PCSC
import SmartCard

/// The `card` section: only when a card is on the chosen reader. What `madoguchi card
/// status` learns without a PIN — the card type, the PIN tries left (reading them spends
/// no try) and the authentication certificate's validity — never anything on the card.
enum CardChecks {
    static let title = BilingualText(ja: "カード", en: "Card")

    static func section(reader: String?, daemonRunning: Bool) -> DiagnosticSection {
        DiagnosticSection(id: "card", title: title, checks: checks(reader: reader, daemonRunning: daemonRunning))
    }

    static func checks(reader: String?, daemonRunning: Bool) -> [DiagnosticCheck] {
        guard let reader else {
            return [.skipped("card", ja: "使えるリーダーがないため確かめません。", en: "Not checked: no usable reader.")]
        }
        guard !daemonRunning else {
            return [
                .skipped(
                    "card", ja: "madoguchid がリーダーを使っているため確かめません(madoguchi status で確認)。",
                    en: "Not checked: madoguchid holds the reader (see madoguchi status).")
            ]
        }
        let status: CardStatus
        do {
            let context = try PCSCContext()
            guard try context.readersHoldingCards().contains(reader) else {
                return [.skipped("card", ja: "リーダーにカードがありません。", en: "No card on the reader.")]
            }
            status = try PCSCCard.withTransaction(context: context, reader: reader) { card in
                try MyNumberCardReader(channel: CardChannel(card)).status()
            }
        } catch {
            return [
                .failure(
                    "card", BilingualText(ja: "カードを読めません。", en: "The card cannot be read."),
                    next: BilingualText(
                        ja: "カードを置き直してください。繰り返すなら別のカードで試し、カードとリーダーのどちらの問題か切り分けてください。",
                        en: "Place the card again. If it repeats, try another card to tell a card fault from a reader fault."))
            ]
        }
        var checks: [DiagnosticCheck] = []
        switch status.type {
        case .myNumberCard:
            checks.append(.ok("type", ja: "マイナンバーカードです。", en: "A My Number Card."))
        case .jukiCard:
            checks.append(
                .warning(
                    "type", BilingualText(ja: "住民基本台帳カードです。", en: "A Basic Resident Registry card (住基カード)."),
                    next: BilingualText(ja: "この端末ではマイナンバーカードを使ってください。", en: "Use a My Number Card at this kiosk.")))
        case .unknown:
            checks.append(
                .warning(
                    "type", BilingualText(ja: "マイナンバーカードではありません。", en: "Not a My Number Card."),
                    next: BilingualText(ja: "マイナンバーカードを表向きに置いてください。", en: "Place a My Number Card, face up.")))
        }
        for (id, ja, en, tries) in [
            ("basic-info-pin", "券面事項入力補助用暗証番号", "Card-information PIN", status.basicInfoTriesLeft),
            ("user-auth-pin", "利用者証明用暗証番号", "User-authentication PIN", status.userAuthenticationTriesLeft),
        ] {
            guard let tries else { continue }
            let text = BilingualText(ja: "\(ja)の残り回数 \(tries)。", en: "\(en): \(tries) tries left.")
            if tries == 0 {
                checks.append(
                    .failure(
                        id, BilingualText(ja: text.ja + "ロックされています。", en: text.en + " It is locked."),
                        next: BilingualText(
                            ja: "ご本人が市区町村の窓口で暗証番号の初期化を申請してください。",
                            en: "The card holder resets the PIN at the municipal office counter.")))
            } else if tries < 3 {
                checks.append(
                    .warning(
                        id, text,
                        next: BilingualText(
                            ja: "間違えるとロックされます。暗証番号を確かめてから入力するよう案内してください。",
                            en: "Wrong tries lock it: ask the card holder to make sure of the PIN before entering it.")))
            } else {
                checks.append(DiagnosticCheck(id, .ok, text))
            }
        }
        if let certificate = status.authCertificate {
            let until = certificate.notAfter.formatted(.iso8601).prefix(10)
            if certificate.isExpired(at: Date()) {
                checks.append(
                    .warning(
                        "certificate",
                        BilingualText(ja: "利用者証明用電子証明書の有効期限が切れています(\(until))。", en: "The authentication certificate expired (\(until))."),
                        next: BilingualText(
                            ja: "ご本人が市区町村の窓口で電子証明書を更新してください。",
                            en: "The card holder renews the certificate at the municipal office counter.")))
            } else {
                checks.append(
                    .ok("certificate", ja: "利用者証明用電子証明書は \(until) まで有効です。", en: "The authentication certificate is valid until \(until)."))
            }
        }
        return checks
    }
}
