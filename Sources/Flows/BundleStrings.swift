public import Contracts

/// The languages a bundle's strings come in (`strings/<lang>.yaml`).
public enum BundleLanguage: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Japanese: required, holds every key.
    case ja
    /// English.
    case en
    /// やさしい日本語: short sentences, furigana on kanji.
    case jaEasy = "ja-easy"

    /// Japanese first, then English, then やさしい日本語.
    public static func < (lhs: BundleLanguage, rhs: BundleLanguage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One piece of marked-up text.
public enum TextSegment: Sendable, Hashable {
    /// Characters shown as they are.
    case plain(String)
    /// `{base|reading}`: furigana over the base text.
    case ruby(base: String, reading: String)
    /// `{{name}}`: filled by the program.
    case placeholder(String)
}

/// A string as written, with its markup parsed.
public struct BundleString: Sendable, Hashable {
    /// The text as written in the file.
    public var source: String
    /// The parsed markup.
    public var segments: [TextSegment]
    /// Where the value stands.
    public var location: FilePosition
    /// False when the markup is broken (reported; the text is then shown as written).
    public var markupIsValid: Bool

    /// Creates a string.
    public init(source: String, segments: [TextSegment], location: FilePosition, markupIsValid: Bool = true) {
        self.source = source
        self.segments = segments
        self.location = location
        self.markupIsValid = markupIsValid
    }

    /// The text without markup: ruby keeps its base, placeholders are filled from `values`
    /// (left as `{{name}}` when missing).
    public func plainText(_ values: [String: String] = [:]) -> String {
        segments.map { segment in
            switch segment {
            case .plain(let text): text
            case .ruby(let base, _): base
            case .placeholder(let name): values[name] ?? "{{\(name)}}"
            }
        }.joined()
    }
}

/// The strings of one language.
public struct StringTable: Sendable, Hashable {
    /// The language.
    public var language: BundleLanguage
    /// Strings by key.
    public var strings: [String: BundleString]
    /// Where the file starts.
    public var location: FilePosition

    /// Creates a table.
    public init(language: BundleLanguage, strings: [String: BundleString], location: FilePosition) {
        self.language = language
        self.strings = strings
        self.location = location
    }
}

/// The ruby and placeholder markup of bundle strings.
public enum TextMarkup {
    /// A markup mistake at an offset (in Unicode scalars from 1).
    public struct Problem: Error, Sendable, Hashable {
        /// Where in the text.
        public var offset: Int
        /// Japanese sentence.
        public var ja: String
        /// English sentence.
        public var en: String
    }

    /// Parses `{base|reading}`, `{{name}}` and the escapes `\{`, `\}`, `\\`.
    public static func parse(_ text: String) -> Result<[TextSegment], Problem> {
        let scalars = Array(text.unicodeScalars)
        var segments: [TextSegment] = []
        var plain = String.UnicodeScalarView()
        var index = 0
        func flush() {
            if !plain.isEmpty { segments.append(.plain(String(plain))) }
            plain = String.UnicodeScalarView()
        }
        func slice(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                guard index + 1 < scalars.count, ["{", "}", "\\"].contains(scalars[index + 1]) else {
                    return .failure(Problem(
                        offset: index + 1,
                        ja: "「\\」の後には {、}、\\ のどれかを書いてください(文字としての { は \\{ と書きます)。",
                        en: "a backslash must be followed by {, } or \\ (write \\{ for a literal brace)."))
                }
                plain.append(scalars[index + 1])
                index += 2
            case "}":
                return .failure(Problem(
                    offset: index + 1,
                    ja: "対応する「{」のない「}」があります。文字としての } は \\} と書いてください。",
                    en: "a \"}\" without its \"{\"; write \\} for a literal brace."))
            case "{":
                let start = index
                if index + 1 < scalars.count, scalars[index + 1] == "{" {
                    guard let close = (index + 2..<scalars.count).first(where: { scalars[$0] == "}" }),
                        close + 1 < scalars.count, scalars[close + 1] == "}"
                    else {
                        return .failure(Problem(
                            offset: start + 1,
                            ja: "「{{」が「}}」で閉じていません。{{n}} のように書いてください。",
                            en: "\"{{\" is not closed by \"}}\"; write it like {{n}}."))
                    }
                    let name = slice(index + 2..<close)
                    guard NameRule.name.accepts(name) else {
                        return .failure(Problem(
                            offset: start + 1,
                            ja: "差し込み「{{\(name)}}」の名前は英小文字で始まる英数字にしてください(例: {{n}})。",
                            en: "the placeholder \"{{\(name)}}\" needs a name of ASCII letters and digits starting lower-case (e.g. {{n}})."))
                    }
                    flush()
                    segments.append(.placeholder(name))
                    index = close + 2
                    continue
                }
                guard let close = (index + 1..<scalars.count).first(where: { ["}", "{"].contains(scalars[$0]) }), scalars[close] == "}" else {
                    return .failure(Problem(
                        offset: start + 1,
                        ja: "「{」が閉じていません。ふりがなは {世帯主|せたいぬし} のように書き、文字としての { は \\{ と書いてください。",
                        en: "\"{\" is not closed; write ruby like {世帯主|せたいぬし}, and \\{ for a literal brace."))
                }
                let inner = Array(scalars[(index + 1)..<close])
                let whole = slice(start..<(close + 1))
                guard let bar = inner.firstIndex(of: "|") else {
                    return .failure(Problem(
                        offset: start + 1,
                        ja: "「\(whole)」にふりがなの区切り「|」がありません。{世帯主|せたいぬし} のように書いてください。",
                        en: "the ruby \"\(whole)\" has no \"|\" between the kanji and the reading; write it like {世帯主|せたいぬし}."))
                }
                let base = String(String.UnicodeScalarView(inner[..<bar]))
                let reading = String(String.UnicodeScalarView(inner[(bar + 1)...]))
                guard !base.isEmpty, !reading.isEmpty, !reading.unicodeScalars.contains("|") else {
                    return .failure(Problem(
                        offset: start + 1,
                        ja: "「\(whole)」の漢字かふりがなが空か、「|」が二つあります。{世帯主|せたいぬし} のように書いてください。",
                        en: "the ruby \"\(whole)\" has an empty base or reading, or two \"|\"; write it like {世帯主|せたいぬし}."))
                }
                guard reading.unicodeScalars.allSatisfy(isKana) else {
                    return .failure(Problem(
                        offset: start + 1,
                        ja: "「\(whole)」のふりがなはひらがなかカタカナで書いてください。",
                        en: "the reading in \"\(whole)\" must be hiragana or katakana."))
                }
                flush()
                segments.append(.ruby(base: base, reading: reading))
                index = close + 1
            default:
                plain.append(scalar)
                index += 1
            }
        }
        flush()
        return .success(segments)
    }

    /// Hiragana, katakana and the prolonged sound mark.
    static func isKana(_ scalar: Unicode.Scalar) -> Bool {
        (0x3041...0x309F).contains(scalar.value) || (0x30A0...0x30FF).contains(scalar.value)
    }

    /// CJK ideographs (and 々), which やさしい日本語 text must give readings for.
    static func isKanji(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
            || (0x20000...0x2FFFF).contains(scalar.value) || scalar.value == 0x3005
    }
}

extension NodeReader {
    /// Reads `strings/<lang>.yaml`.
    mutating func decodeStrings(_ root: DataNode, expected language: BundleLanguage) -> StringTable? {
        let file = root.location.file
        let subject = Subject(ja: file, en: file)
        guard let members = mapping(root, subject, allowed: ["language", "strings"], required: ["language", "strings"]) else { return nil }
        if let node = members["language"]?.value, let declared = text(node, "language", subject), declared != language.rawValue {
            error(
                .structure, node.location,
                ja: "language は「\(language.rawValue)」にしてください(ファイル名と同じ。今は「\(Self.shown(declared))」です)。",
                en: "language must be \"\(language.rawValue)\", as the file name says, not \"\(Self.shown(declared))\".")
        }
        var strings: [String: BundleString] = [:]
        guard let node = members["strings"]?.value else { return nil }
        guard case .object(let entries) = node.value else {
            _ = mapping(node, Subject(ja: "strings", en: "strings"), allowed: [], required: [])
            return nil
        }
        for entry in entries {
            guard NameRule.stringKey.accepts(entry.key) else {
                error(
                    .structure, entry.keyLocation,
                    ja: "キー「\(Self.shown(entry.key))」は使えません。\(NameRule.stringKey.ja)にしてください。",
                    en: "the key \"\(Self.shown(entry.key))\" is not allowed; use \(NameRule.stringKey.en).")
                continue
            }
            let keySubject = Subject(ja: "キー「\(entry.key)」", en: "key \"\(entry.key)\"")
            guard let value = text(entry.value, "value", keySubject) else { continue }
            let start = contentStart(of: entry.value)
            switch TextMarkup.parse(value) {
            case .success(let segments):
                strings[entry.key] = BundleString(source: value, segments: segments, location: start)
            case .failure(let problem):
                var location = start
                if let column = location.column, !value.contains("\n") { location.column = column + problem.offset - 1 }
                error(.markup, location, ja: problem.ja, en: problem.en)
                strings[entry.key] = BundleString(source: value, segments: [.plain(value)], location: start, markupIsValid: false)
            }
        }
        return StringTable(language: language, strings: strings, location: root.location)
    }
}
