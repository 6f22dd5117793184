/// A sentence shown to a person, Japanese first with English.
///
/// Every message a resident, clerk or technician reads comes as one of these, so no part
/// of Madoguchi can forget the English (or the Japanese). It never carries personal data:
/// callers put names, addresses and dates into screens and documents, not into messages.
public struct BilingualText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The Japanese sentence (shown first).
    public var ja: String
    /// The English sentence.
    public var en: String

    /// Creates a message from its two sentences.
    public init(ja: String, en: String) {
        self.ja = ja
        self.en = en
    }

    /// `ja / en` on one line, as terminals and logs show it.
    public var description: String { "\(ja) / \(en)" }
}
