#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What a card says without a PIN (`docs/contracts/card-output.md`, `card status`).
public enum CardType: String, Sendable, Hashable, CaseIterable {
    /// JPKI token `JPKIAPICCTOKEN2`.
    case myNumberCard
    /// JPKI token `JPKIAPICCTOKEN`: the old Basic Resident Registry card (住基カード).
    case jukiCard
    /// No JPKI application, or another token.
    case unknown
}

/// The card's type, PIN tries and certificate validity, learnt without spending a try.
public struct CardStatus: Sendable, Hashable {
    /// What kind of card it is.
    public var type: CardType
    /// Tries left for the card-information PIN (券面事項入力補助用), nil when not applicable.
    public var basicInfoTriesLeft: Int?
    /// Tries left for the user-authentication PIN (利用者証明用), nil when not applicable.
    public var userAuthenticationTriesLeft: Int?
    /// Validity of the public authentication certificate, nil when there is none.
    public var authCertificate: CertificateValidity?

    /// Creates a status.
    public init(type: CardType, basicInfoTriesLeft: Int?, userAuthenticationTriesLeft: Int?, authCertificate: CertificateValidity?) {
        self.type = type
        self.basicInfoTriesLeft = basicInfoTriesLeft
        self.userAuthenticationTriesLeft = userAuthenticationTriesLeft
        self.authCertificate = authCertificate
    }
}

/// When a certificate is valid.
public struct CertificateValidity: Sendable, Hashable {
    /// notBefore.
    public var notBefore: Date
    /// notAfter.
    public var notAfter: Date

    /// Creates a validity period.
    public init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Whether `date` is past notAfter.
    public func isExpired(at date: Date) -> Bool { date > notAfter }
}
