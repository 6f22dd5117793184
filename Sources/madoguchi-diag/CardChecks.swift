import ControlProtocol
import Diagnostics
import Foundation
import MadoguchiCore
import MyNumberCard
import PCSC
import SmartCard

/// The `card` section: only when a card is on the chosen reader. What `madoguchi card
/// status` learns without a PIN — the card type, the PIN tries left (reading them spends
/// no try) and the authentication certificate's validity — then which applications answer
/// SELECT and how long one exchange takes; never anything stored on the card. When
/// madoguchid runs it holds the reader: the section then says what the daemon reports.
enum CardChecks {
    static let title = BilingualText(ja: "カード", en: "Card")

    /// Exchanges timed for the round trip.
    static let pings = 5
    /// A median round trip above this is ⚠ (a contact or contactless reader answers a
    /// SELECT in tens of milliseconds).
    static let slowRoundTrip = Duration.milliseconds(250)

    static let placeAgain = BilingualText(
        ja: "カードを置き直してください。繰り返すなら別のカードで試し、カードとリーダーのどちらの問題か切り分けてください。",
        en: "Place the card again. If it repeats, try another card to tell a card fault from a reader fault.")

    static func section(reader: String?, daemon: DaemonStatus?) -> DiagnosticSection {
        DiagnosticSection(id: "card", title: title, checks: checks(reader: reader, daemon: daemon))
    }

    /// What a card read learns, in one transaction.
    struct Reading {
        var status: CardStatus
        var applications: [MyNumberCardApplication]
        var roundTrips: [Duration]
    }

    static func checks(reader: String?, daemon: DaemonStatus?) -> [DiagnosticCheck] {
        if let daemon { return held(by: daemon) }
        guard let reader else {
            return [.skipped("card", ja: "使えるリーダーがないため確かめません。", en: "Not checked: no usable reader.")]
        }
        let reading: Reading
        do {
            let context = try PCSCContext()
            guard try context.readersHoldingCards().contains(reader) else {
                return [.skipped("card", ja: "リーダーにカードがありません。", en: "No card on the reader.")]
            }
            reading = try PCSCCard.withTransaction(context: context, reader: reader) { card in
                let myNumberCard = MyNumberCardReader(channel: CardChannel(card))
                let status = try myNumberCard.status()
                let applications = try myNumberCard.applicationsPresent()
                var roundTrips: [Duration] = []
                let clock = ContinuousClock()
                for _ in 0..<pings { roundTrips.append(try clock.measure { _ = try myNumberCard.ping() }) }
                return Reading(status: status, applications: applications, roundTrips: roundTrips)
            }
        } catch {
            return [.failure("card", BilingualText(ja: "カードを読めません。", en: "The card cannot be read."), next: placeAgain)]
        }
        let status = reading.status
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
        checks.append(applications(reading.applications, type: status.type))
        checks.append(roundTrip(reading.roundTrips))
        return checks
    }

    /// The daemon's word on its reader (it holds the reader; diag opens no card).
    static func held(by daemon: DaemonStatus) -> [DiagnosticCheck] {
        guard let name = daemon.reader.name else {
            return [
                .failure(
                    "card", BilingualText(ja: "madoguchid はリーダーを使えていません。", en: "madoguchid has no reader."),
                    next: ReaderChecks.plugIn)
            ]
        }
        let phase = daemon.session.phase
        let on = daemon.reader.cardPresent
        let text = BilingualText(
            ja: "madoguchid がリーダー「\(name)」を使っています(カード\(on ? "あり" : "なし")、画面 \(phase))。",
            en: "madoguchid holds the reader \"\(name)\" (\(on ? "a card is on it" : "no card"), session phase \(phase)).")
        guard phase.hasPrefix("cardProblem.") else { return [DiagnosticCheck("card", .ok, text)] }
        let next: BilingualText =
            switch phase {
            case "cardProblem.pinLocked":
                BilingualText(
                    ja: "ご本人が市区町村の窓口で暗証番号の初期化を申請してください。", en: "The card holder resets the PIN at the municipal office counter.")
            case "cardProblem.notMyNumberCard":
                BilingualText(ja: "マイナンバーカードを表向きに置いてください。", en: "Place a My Number Card, face up.")
            default: placeAgain
            }
        return [.warning("card", text, next: next)]
    }

    /// Which applications answered; the kiosk needs JPKI (to tell the card) and Kenhojo
    /// (the basic 4 information) on a My Number Card.
    static func applications(_ present: [MyNumberCardApplication], type: CardType) -> DiagnosticCheck {
        let names = present.isEmpty ? (ja: "なし", en: "none") : (ja: present.map(\.name.ja).joined(separator: "、"), en: present.map(\.name.en).joined(separator: ", "))
        let text = BilingualText(ja: "応答したアプリケーション: \(names.ja)。", en: "Applications that answer: \(names.en).")
        let missing = [MyNumberCardApplication.jpki, .kenhojo].filter { !present.contains($0) }
        guard type == .myNumberCard, !missing.isEmpty else { return DiagnosticCheck("applications", .ok, text) }
        return .warning(
            "applications",
            BilingualText(
                ja: text.ja + "\(missing.map(\.name.ja).joined(separator: "、"))がないため、基本4情報を読めません。",
                en: text.en + " Without \(missing.map(\.name.en).joined(separator: ", ")) the basic 4 information cannot be read."),
            next: BilingualText(
                ja: "カードの故障が考えられます。ご本人に市区町村の窓口での再発行を案内し、この手続きは職員が受けてください。",
                en: "The card may be faulty: refer the holder to the municipal office for a new card, and have staff take this application."))
    }

    /// The median and worst of the timed exchanges.
    static func roundTrip(_ times: [Duration]) -> DiagnosticCheck {
        let sorted = times.sorted()
        guard let worst = sorted.last else {
            return .skipped("round-trip", ja: "往復時間を測れませんでした。", en: "No exchange was timed.")
        }
        let median = sorted[sorted.count / 2]
        let text = BilingualText(
            ja: "APDU の往復 \(sorted.count) 回: 中央値 \(milliseconds(median)) ms、最大 \(milliseconds(worst)) ms。",
            en: "APDU round trip, \(sorted.count) exchanges: median \(milliseconds(median)) ms, worst \(milliseconds(worst)) ms.")
        guard median > slowRoundTrip else { return DiagnosticCheck("round-trip", .ok, text) }
        return .warning(
            "round-trip", BilingualText(ja: text.ja + "遅すぎます。", en: text.en + " That is slow."),
            next: BilingualText(
                ja: "カードをリーダーの中央に平らに置いてください。USB ハブを外してリーダーを本体に直接つなぎ、別のカードでも遅いか確かめてください。",
                en: "Place the card flat on the reader's centre. Connect the reader directly, not through a USB hub, and see whether another card is slow too."))
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
