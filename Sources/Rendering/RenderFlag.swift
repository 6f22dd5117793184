public import Documents
public import MadoguchiCore

/// A field staff must check before the paper goes out. It names the field, never its value.
public struct RenderFlag: Sendable, Hashable, CustomStringConvertible {
    /// Why.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// A character no installed font has: its box is printed instead.
        case missingGlyph
        /// A variation sequence (異体字) no installed font has: the base character is printed.
        case missingVariant
        /// The value does not fit its box (`fit: error`, or more characters than cells):
        /// nothing is printed there.
        case doesNotFit
        /// The value fits only below 6 pt, too small to read reliably.
        case tooSmall
    }

    /// The field.
    public var field: FieldReference
    /// The page, from 1, in the document's output.
    public var page: Int
    /// Why.
    public var reason: Reason

    /// Creates a flag.
    public init(field: FieldReference, page: Int, reason: Reason) {
        self.field = field
        self.page = page
        self.reason = reason
    }

    /// Japanese and English: what to check, where. No value.
    public var description: String { message.description }

    /// The sentence in both languages.
    public var message: BilingualText {
        let (ja, en) =
            switch reason {
            case .missingGlyph: ("どのフォントにもない文字があります。手書きで確認してください", "a character no installed font has; check it by hand")
            case .missingVariant: ("異体字を出せず、元の字で印刷しました。確認してください", "a variant character printed as its base form; check it")
            case .doesNotFit: ("枠に収まらないため印刷していません", "too long for its box, left blank")
            case .tooSmall: ("小さな文字(6pt 未満)でしか収まりません", "fits only below 6 pt")
            }
        return BilingualText(
            ja: "\(field.document) \(page) ページ 項目 \(field.item)(\(field.path)): \(ja)。",
            en: "\(field.document) page \(page) item \(field.item) (\(field.path)): \(en).")
    }
}
