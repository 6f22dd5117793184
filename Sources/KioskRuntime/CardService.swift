import KioskSession
import MyNumberCard
import PCSC
import SmartCard

/// The card operations a session needs, each one PC/SC transaction on the reader's own
/// thread, ending with a card reset: nothing stays verified once an operation returns.
struct CardService: Sendable {
    let thread = CardReaderThread(name: "madoguchi.card")

    /// The card's type and the card-information PIN's tries (no try spent).
    func status(reader: String) async -> SessionEvent {
        do {
            let status = try await thread.perform { context in
                try Self.withCard(reader, context) { try $0.status() }
            }
            return .cardStatus(CardReport(isMyNumberCard: status.type == .myNumberCard, triesLeft: status.basicInfoTriesLeft ?? 0))
        } catch {
            return .cardStatusFailed
        }
    }

    /// VERIFY with the typed PIN, then the basic 4 information; the digits are overwritten
    /// as soon as the PIN value is made, whatever happens next.
    func verifyAndRead(reader: String, digits: SecretDigits, confirmLastTry: Bool) async -> SessionEvent {
        do {
            let identity = try await thread.perform { context in
                try Self.withCard(reader, context) { card in
                    let pin = try digits.take { try PIN(asciiDigits: $0) }
                    return try card.verifyAndRead(pin: pin, confirmLastTry: confirmLastTry)
                }
            }
            return .readSucceeded(identity)
        } catch let error as MyNumberCardError {
            digits.wipe()
            switch error {
            case .wrongPIN(let tries): return .readFailed(.wrongPIN(triesLeft: tries))
            case .lastTryNeedsConfirmation: return .readFailed(.wrongPIN(triesLeft: 1))
            case .pinLocked: return .readFailed(.pinLocked)
            case .notMyNumberCard: return .readFailed(.notMyNumberCard)
            default: return .readFailed(.unreadable)
            }
        } catch {
            digits.wipe()
            return .readFailed(.unreadable)
        }
    }

    private static func withCard<R>(_ reader: String, _ context: PCSCContext, _ body: (MyNumberCardReader<PCSCCard>) throws -> R) throws -> R {
        try PCSCCard.withTransaction(context: context, reader: reader) { card in
            try body(MyNumberCardReader(channel: CardChannel(card)))
        }
    }
}
