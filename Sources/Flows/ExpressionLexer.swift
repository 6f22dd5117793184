/// One token of an expression, with where it starts and how it was written.
struct ExpressionToken: Sendable, Hashable {
    /// What the token is.
    enum Kind: Sendable, Hashable {
        case number(Double)
        case text(String)
        /// A name or reserved word (ASCII letter, then letters and digits).
        case word(String)
        /// Punctuation and operators: `( ) [ ] , . + - == != < <= > >=`.
        case symbol(String)
        /// The end of the text.
        case end
    }

    var kind: Kind
    /// Column inside the expression, from 1, in Unicode scalars.
    var offset: Int
    /// The token as written (for messages); `""` for the end.
    var spelling: String

    /// Whether this is the word `word`.
    func isWord(_ word: String) -> Bool { kind == .word(word) }
    /// Whether this is the symbol `symbol`.
    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }
}

/// Splits an expression into tokens (`docs/contracts/form-bundle.md`, the EBNF).
enum ExpressionLexer {
    /// Tokens of `text`, always ending with `.end` (whose offset is one past the last scalar).
    static func tokens(of text: String) throws(ExpressionError) -> [ExpressionToken] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [ExpressionToken] = []
        var index = 0
        func at(_ position: Int) -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
        func spelling(_ range: Range<Int>) -> String {
            var result = String.UnicodeScalarView()
            result.append(contentsOf: scalars[range])
            return String(result)
        }
        while let scalar = at(index) {
            let start = index
            switch scalar {
            case " ", "\t", "\n", "\r":
                index += 1
                continue
            case "0"..."9":
                while let next = at(index), isDigit(next) { index += 1 }
                if at(index) == "." {
                    guard let next = at(index + 1), isDigit(next) else {
                        let written = spelling(start..<index)
                        throw ExpressionError(
                            .syntax, at: index + 1,
                            ja: "数「\(written).」の「.」の後に数字がありません。\(written) か \(written).5 のように書いてください。",
                            en: "the number \(written). has no digits after the '.'; write \(written) or \(written).5.")
                    }
                    index += 1
                    while let next = at(index), isDigit(next) { index += 1 }
                }
                let written = spelling(start..<index)
                guard let value = Double(written), value.isFinite else {
                    throw ExpressionError(
                        .syntax, at: start + 1,
                        ja: "数が大きすぎます。もっと小さい数を書いてください。",
                        en: "the number is too large; write a smaller number.")
                }
                tokens.append(ExpressionToken(kind: .number(value), offset: start + 1, spelling: written))
            case "a"..."z", "A"..."Z":
                while let next = at(index), isLetter(next) || isDigit(next) { index += 1 }
                let written = spelling(start..<index)
                tokens.append(ExpressionToken(kind: .word(written), offset: start + 1, spelling: written))
            case "'":
                index += 1
                var value = String.UnicodeScalarView()
                while true {
                    guard let next = at(index) else {
                        throw ExpressionError(
                            .syntax, at: start + 1,
                            ja: "文字列が「'」で閉じられていません。'kokuho' のように両側を「'」で囲んでください。",
                            en: "the text starting here is not closed with '; enclose it in single quotes, like 'kokuho'.")
                    }
                    if next == "'" {
                        index += 1
                        break
                    }
                    if next == "\\" {
                        guard let escaped = at(index + 1), escaped == "'" || escaped == "\\" else {
                            let shown = at(index + 1).map { "\\" + String($0) } ?? "\\"
                            throw ExpressionError(
                                .syntax, at: index + 1,
                                ja: "文字列の中の「\(shown)」は使えません。「\\」の後に書けるのは「'」と「\\」だけです(\\' と \\\\)。",
                                en: "'\(shown)' is not allowed in text; only \\' and \\\\ may follow a backslash.")
                        }
                        value.append(escaped)
                        index += 2
                        continue
                    }
                    value.append(next)
                    index += 1
                }
                tokens.append(
                    ExpressionToken(kind: .text(String(value)), offset: start + 1, spelling: spelling(start..<index)))
            case "(", ")", "[", "]", ",", ".", "+", "-":
                index += 1
                tokens.append(ExpressionToken(kind: .symbol(String(scalar)), offset: start + 1, spelling: String(scalar)))
            case "=", "!", "<", ">":
                index += 1
                if at(index) == "=" {
                    index += 1
                } else if scalar == "=" || scalar == "!" {
                    throw unexpected(scalar, at: start + 1)
                }
                let written = spelling(start..<index)
                tokens.append(ExpressionToken(kind: .symbol(written), offset: start + 1, spelling: written))
            default:
                throw unexpected(scalar, at: start + 1)
            }
        }
        tokens.append(ExpressionToken(kind: .end, offset: scalars.count + 1, spelling: ""))
        return tokens
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }

    /// A character that cannot start a token, with a hint for the usual mistakes.
    static func unexpected(_ scalar: Unicode.Scalar, at offset: Int) -> ExpressionError {
        let (ja, en): (String, String) =
            switch scalar {
            case "=": ("等しいかどうかは == で書いてください。", "write == to test equality.")
            case "!": ("等しくないかどうかは !=、否定は not で書いてください。", "write != for 'not equal' and not for negation.")
            case "&": ("「かつ」は and で書いてください。", "write and instead.")
            case "|": ("「または」は or で書いてください。", "write or instead.")
            case "\"", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}":
                ("文字列は半角の「'」で囲んでください('kokuho')。", "enclose text in ASCII single quotes, like 'kokuho'.")
            case "\u{3000}": ("全角スペースは使えません。半角スペースにしてください。", "this is a full-width space; use an ASCII space.")
            case "\u{FF01}"..."\u{FF5E}": ("全角の文字です。半角で書いてください。", "this is a full-width character; write it in ASCII.")
            default:
                ("式に書けるのは名前、数、'文字列'、演算子と括弧です。", "expressions consist of names, numbers, 'text', operators and brackets.")
            }
        let shown = scalar.properties.generalCategory == .control ? "U+" + String(scalar.value, radix: 16, uppercase: true) : String(scalar)
        return ExpressionError(.syntax, at: offset, ja: "「\(shown)」は式に使えません。" + ja, en: "'\(shown)' cannot be used in an expression; " + en)
    }
}
