import ArgumentParser
import CLISupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import MadoguchiCore
import MyNumberCard
import PCSC
import SmartCard

extension CardCommand {
    /// `madoguchi card status [--json]`
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "カードの種類・暗証番号の残り回数・証明書の期限 / Card type, PIN tries left, certificate validity.",
            discussion: "暗証番号は使いません(残り回数は減りません)。 / Needs no PIN and spends no try.")

        @OptionGroup var options: CardOptions


        func run() throws {
            do {
                let context = try PCSCContext()
                let (reader, hasCard) = try CardAccess.chooseReader(named: options.reader, context: context)
                var output = StatusOutput(reader: reader, card: nil)
                if hasCard {
                    output.card = try CardAccess.withCard(in: reader, context: context) { card, myNumberCard in
                        StatusOutput.Card(card: card, status: try myNumberCard.status())
                    }
                }
                if options.json {
                    print(try CardAccess.json(output))
                } else {
                    output.printForPeople()
                }
            } catch {
                CardAccess.report(error)
            }
        }
    }
}

/// The `card status --json` shape (`schemas/card-status.schema.json`).
struct StatusOutput: Encodable {
    var reader: String
    var card: Card?

    struct Card: Encodable {
        var type: String
        var atr: String
        var pinTriesLeft: Tries
        var authCertificate: Certificate?

        struct Tries: Encodable {
            var basicInfo: Int?
            var userAuthentication: Int?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(basicInfo, forKey: .basicInfo)  // null, not absent
                try container.encode(userAuthentication, forKey: .userAuthentication)
            }

            enum CodingKeys: String, CodingKey { case basicInfo, userAuthentication }
        }

        struct Certificate: Encodable {
            var notBefore: String
            var notAfter: String
            var expired: Bool
        }

        init(card: PCSCCard, status: CardStatus) {
            type = status.type.rawValue
            atr = card.atr.bytes.hexString()
            pinTriesLeft = Tries(basicInfo: status.basicInfoTriesLeft, userAuthentication: status.userAuthenticationTriesLeft)
            authCertificate = status.authCertificate.map { validity in
                return Certificate(
                    notBefore: validity.notBefore.formatted(.iso8601), notAfter: validity.notAfter.formatted(.iso8601),
                    expired: validity.isExpired(at: Date()))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(atr, forKey: .atr)
            try container.encode(pinTriesLeft, forKey: .pinTriesLeft)
            try container.encode(authCertificate, forKey: .authCertificate)
        }

        enum CodingKeys: String, CodingKey { case type, atr, pinTriesLeft, authCertificate }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reader, forKey: .reader)
        try container.encode(card, forKey: .card)
    }

    enum CodingKeys: String, CodingKey { case reader, card }

    func printForPeople() {
        print("カードリーダー / Reader: \(reader)")
        guard let card else {
            print(BilingualText(ja: "カードがありません。", en: "No card."))
            return
        }
        let kind =
            switch card.type {
            case "myNumberCard": BilingualText(ja: "マイナンバーカード", en: "My Number Card")
            case "jukiCard": BilingualText(ja: "住民基本台帳カード", en: "Basic Resident Registry card")
            default: BilingualText(ja: "不明なカード", en: "unknown card")
            }
        print("カード / Card: \(kind)")
        if let tries = card.pinTriesLeft.basicInfo {
            print("券面事項入力補助用暗証番号の残り回数 / Card-information PIN tries left: \(tries)")
        }
        if let tries = card.pinTriesLeft.userAuthentication {
            print("利用者証明用暗証番号の残り回数 / User-authentication PIN tries left: \(tries)")
        }
        if let certificate = card.authCertificate {
            print("利用者証明用電子証明書の有効期限 / Authentication certificate valid until: \(certificate.notAfter)\(certificate.expired ? " (期限切れ / expired)" : "")")
        }
    }
}
