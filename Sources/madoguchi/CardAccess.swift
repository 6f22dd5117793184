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

/// The options `card status` and `card read` share.
struct CardOptions: ParsableArguments {
    @Option(help: "使うカードリーダー / The reader to use (default: the one holding a My Number Card).")
    var reader: String?

    @Flag(help: "JSON で出力 / Print JSON (docs/contracts/card-output.md).")
    var json = false
}

/// Opening the card for `card status` and `card read`: choose the reader, connect, run one
/// operation inside one transaction, and always end with a card reset.
enum CardAccess {
    /// Exit statuses of the card commands (`docs/contracts/card-output.md`, sysexits.h).
    enum Status {
        static let wrongPIN: Int32 = 65
        static let unavailable: Int32 = 69
        static let cardGone: Int32 = 75
        static let locked: Int32 = 77
    }

    /// The reader to use: the one named, or the first holding a My Number Card, or the
    /// first holding any card; nil (with `reader` for messages) when no card is present.
    static func chooseReader(named: String?, context: PCSCContext) throws -> (reader: String, hasCard: Bool) {
        let readers = try context.readers()
        if let named {
            guard readers.contains(named) else {
                fail(
                    BilingualText(
                        ja: "カードリーダー「\(named)」が見つかりません。`madoguchi card readers` で名前を確認してください。",
                        en: "No card reader named \"\(named)\". See `madoguchi card readers` for the names."),
                    status: Status.unavailable)
            }
            return (named, try context.readersHoldingCards().contains(named))
        }
        guard !readers.isEmpty else {
            fail(
                BilingualText(ja: "カードリーダーがありません。接続を確認してください。", en: "No card reader found. Check the connection."),
                status: Status.unavailable)
        }
        let holding = try context.readersHoldingCards()
        for reader in holding {
            let card = try PCSCCard(context: context, reader: reader)
            defer { card.disconnect(reset: true) }
            if (try? MyNumberCardReader(channel: CardChannel(card)).cardType()) == .myNumberCard { return (reader, true) }
        }
        if let first = holding.first { return (first, true) }
        return (readers[0], false)
    }

    /// Runs `body` on the card in `reader` inside one transaction, then resets the card.
    static func withCard<R>(
        in reader: String, context: PCSCContext, _ body: (PCSCCard, MyNumberCardReader<PCSCCard>) throws -> R
    ) throws -> R {
        try PCSCCard.withTransaction(context: context, reader: reader) { card in
            try body(card, MyNumberCardReader(channel: CardChannel(card)))
        }
    }

    /// Maps an error to its sentence and exit status, prints it, and exits.
    static func report(_ error: any Error) -> Never {
        switch error {
        case let error as MyNumberCardError:
            switch error {
            case .pinLocked: fail(error.message, status: Status.locked)
            case .wrongPIN, .lastTryNeedsConfirmation: fail(error.message, status: Status.wrongPIN)
            case .pinBNeedsStaffMode: fail(error.message, status: 64)
            case .notMyNumberCard: fail(error.message, status: Status.unavailable)
            default: fail(error.message, status: 1)
            }
        case let error as PCSCError where error.status.meansCardGone:
            fail(
                BilingualText(
                    ja: "読み取り中にカードが取り除かれました。もう一度カードを置いてください。",
                    en: "The card was removed during reading. Place the card again."),
                status: Status.cardGone)
        case let error as PCSCError:
            fail(error.advice, detail: error.description, status: Status.unavailable)
        case let error as PINError:
            fail(error.message, status: 64)
        default:
            fail(
                BilingualText(ja: "カードの読み取りに失敗しました。", en: "Reading the card failed."), detail: "\(error)",
                status: 1)
        }
    }

    static func fail(_ message: BilingualText, detail: String? = nil, status: Int32) -> Never {
        Output.error(message.ja)
        Output.error(message.en)
        if let detail, detail != message.description { Output.error(detail) }
        exit(status)
    }

    /// JSON with UTF-8 as is (no `\u` escapes for kanji), keys in declaration order.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
