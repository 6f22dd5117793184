public import Flows

/// A piece of text as printed: plain, or a base with its furigana.
public enum TextPiece: Sendable, Hashable {
    case plain(String)
    case ruby(base: String, reading: String)
}

/// Which field of which document a piece of text fills: what a flag names (never the value).
public struct FieldReference: Sendable, Hashable, CustomStringConvertible {
    /// The document id.
    public var document: String
    /// The item number (from 1) in `items`.
    public var item: Int
    /// The binding (`identity.name`, `item.name` in a table).
    public var path: String

    /// Creates a reference.
    public init(document: String, item: Int, path: String) {
        self.document = document
        self.item = item
        self.path = path
    }

    /// `setainushi-henko item 5 (identity.name)`.
    public var description: String { "\(document) item \(item) (\(path))" }
}

/// Text placed on a page: the box it must stay in and how it fits.
public struct TextMark: Sendable, Hashable {
    /// The text.
    public var pieces: [TextPiece]
    /// Left edge (mm).
    public var x: Double
    /// Top edge (mm).
    public var y: Double
    /// The width it must stay within; nil: one line, as long as it is.
    public var width: Double?
    /// The height it must stay within; nil: as tall as its lines.
    public var height: Double?
    /// Type.
    public var style: DocumentTemplate.Style
    /// Placement inside the width.
    public var align: DocumentTemplate.Alignment
    /// A field's rule for long values; nil for fixed text (wraps within its width).
    public var fit: DocumentTemplate.Fit?
    /// One character per cell (ます目), `cells` cells across the width.
    public var cells: Int?
    /// Whether furigana are drawn.
    public var showsRuby: Bool
    /// The field it fills, when it is a bound value.
    public var field: FieldReference?

    /// Creates a text mark.
    public init(
        pieces: [TextPiece], x: Double, y: Double, width: Double? = nil, height: Double? = nil, style: DocumentTemplate.Style,
        align: DocumentTemplate.Alignment = .left, fit: DocumentTemplate.Fit? = nil, cells: Int? = nil, showsRuby: Bool = false,
        field: FieldReference? = nil
    ) {
        self.pieces = pieces
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.style = style
        self.align = align
        self.fit = fit
        self.cells = cells
        self.showsRuby = showsRuby
        self.field = field
    }

    /// The text without furigana.
    public var plainText: String {
        pieces.map { piece in
            switch piece {
            case .plain(let text): text
            case .ruby(let base, _): base
            }
        }.joined()
    }
}

/// One thing to draw, in page millimetres.
public enum Mark: Sendable, Hashable {
    case text(TextMark)
    case rectangle(PageRect, lineWidth: Double)
    case line(x1: Double, y1: Double, x2: Double, y2: Double, lineWidth: Double)
    case mark(DocumentTemplate.MarkShape, PageRect)
    case qr(String, PageRect)
    /// A PNG file (absolute path) scaled into the rectangle.
    case image(path: String, PageRect)
}

/// One page, ready to draw.
public struct ComposedPage: Sendable, Hashable {
    /// In drawing order.
    public var marks: [Mark]

    /// Creates a page.
    public init(marks: [Mark]) {
        self.marks = marks
    }
}

/// A document filled in: pages of marks, the paper, and its title in its language.
public struct ComposedDocument: Sendable, Hashable {
    /// The document id.
    public var id: String
    /// Its title in the language it is printed in (no personal data: a CUPS job may show it).
    public var title: String
    /// The paper (a receipt roll's height is its content's).
    public var page: PageSize
    /// The language it is printed in.
    public var language: BundleLanguage
    /// Every page of every copy, in order.
    public var pages: [ComposedPage]

    /// Creates a document (the composer makes them; screens and tests may too).
    public init(id: String, title: String, page: PageSize, language: BundleLanguage, pages: [ComposedPage]) {
        self.id = id
        self.title = title
        self.page = page
        self.language = language
        self.pages = pages
    }
}

/// Measures laid-out text: the composer needs heights to flow the checklist onto more pages.
/// The renderer measures with the fonts it draws with; unit tests use a fixed estimate.
public protocol TextMeasuring {
    /// The height in mm that `mark` takes when drawn.
    mutating func height(of mark: TextMark) -> Double
}

/// What a document is filled from.
public struct DocumentInput: Sendable {
    /// The finished run (answers, identity, the environment for `when`).
    public var run: FlowRun
    /// Its outcome.
    public var outcome: Outcome
    /// `submission.id` (the QR code carries it).
    public var submissionID: String
    /// `submission.createdAt`: an ISO 8601 timestamp in Japan time.
    public var createdAt: String
    /// The session's language (for documents with `language: session`).
    public var language: BundleLanguage

    /// Creates an input; the outcome is the run's.
    public init(run: FlowRun, submissionID: String, createdAt: String, language: BundleLanguage) {
        self.run = run
        outcome = run.outcome()
        self.submissionID = submissionID
        self.createdAt = createdAt
        self.language = language
    }
}

/// Turns a document description and a finished run into pages of marks. Pure: positions,
/// texts and page breaks only; fonts and pixels are the renderer's.
public struct DocumentComposer<Measure: TextMeasuring> {
    /// The space kept free at the top and bottom of continuation pages (mm).
    public static var margin: Double { 15 }

    var measure: Measure

    /// A composer that measures with `measure`.
    public init(measure: Measure) {
        self.measure = measure
    }

    /// Fills in `template` from `input`.
    public mutating func compose(_ template: DocumentTemplate, _ input: DocumentInput) -> ComposedDocument {
        let bundle = input.run.bundle
        let language = template.followsSession ? input.language : .ja
        let environment = input.run.environment
        var values: [String: ExpressionValue] = [:]
        for (path, value) in input.outcome.documentData.first(where: { $0.document == template.id })?.values ?? [] {
            values[path] = value
        }
        values["submission.id"] = .text(input.submissionID)
        values["submission.createdAt"] = .text(input.createdAt)
        func value(_ path: String) -> ExpressionValue {
            if let known = values[path] { return known }
            let evaluated = Expression(.reference(Self.reference(path)), offset: 1).evaluate(in: environment)
            return evaluated == .unknown ? .null : evaluated
        }
        let drawn = template.items.filter { item in item.when.map { $0.expression.evaluate(in: environment).decision == .yes } ?? true }

        var copies = 1
        for item in drawn {
            if case .table(let bind, let rows, _, _) = item.content, case .list(let entries) = value(bind) {
                copies = max(copies, (entries.count + rows - 1) / rows)
            }
        }
        var pages: [ComposedPage] = []
        for copy in 0..<copies {
            var page = ComposedPage(marks: [])
            var continuation: [ComposedPage] = []
            for item in drawn {
                let reference = { (path: String) in FieldReference(document: template.id, item: item.number, path: path) }
                switch item.content {
                case .text(let key, let width, let style, let align, let ruby):
                    page.marks.append(.text(TextMark(
                        pieces: Self.pieces(key, bundle: bundle, language: language, ruby: ruby), x: item.x, y: item.y, width: width,
                        style: style, align: align, showsRuby: ruby)))
                case .field(let bind, let format, let width, let height, let fit, let cells, let style, let align):
                    let text = format.write(value(bind), language: language, choices: Self.choices(bind, bundle: bundle, language: language)) ?? ""
                    guard !text.isEmpty else { continue }
                    page.marks.append(.text(TextMark(
                        pieces: [.plain(text)], x: item.x, y: item.y, width: width, height: height, style: style, align: align, fit: fit,
                        cells: cells, field: reference(bind))))
                case .checkbox(let bind, let format, let equals, let shape, let width, let height):
                    if Self.isChecked(value(bind), format: format, equals: equals, language: language) {
                        page.marks.append(.mark(shape, PageRect(x: item.x, y: item.y, width: width, height: height)))
                    }
                case .box(let width, let height, let lineWidth):
                    page.marks.append(.rectangle(PageRect(x: item.x, y: item.y, width: width, height: height), lineWidth: lineWidth))
                case .line(let x2, let y2, let lineWidth):
                    page.marks.append(.line(x1: item.x, y1: item.y, x2: x2, y2: y2, lineWidth: lineWidth))
                case .qr(let bind, let size):
                    if case .text(let payload) = value(bind), !payload.isEmpty {
                        page.marks.append(.qr(payload, PageRect(x: item.x, y: item.y, width: size, height: size)))
                    }
                case .table(let bind, let rows, let rowHeight, let columns):
                    guard case .list(let entries) = value(bind) else { continue }
                    let slice = entries.dropFirst(copy * rows).prefix(rows)
                    for (row, entry) in slice.enumerated() {
                        guard case .object(let members) = entry else { continue }
                        for column in columns {
                            let name = String(column.bind.dropFirst("item.".count))
                            let choices = Self.choices(bind + "." + name, bundle: bundle, language: language)
                            let text = column.format.write(members[name] ?? .null, language: language, choices: choices) ?? ""
                            guard !text.isEmpty else { continue }
                            page.marks.append(.text(TextMark(
                                pieces: [.plain(text)], x: item.x + column.x, y: item.y + Double(row) * rowHeight, width: column.width,
                                height: rowHeight, style: column.style, align: column.align, fit: .shrink, field: reference(column.bind))))
                        }
                    }
                case .procedures(let width, let style, let include):
                    let entries = ChecklistEntries(bundle: bundle, outcome: input.outcome, language: language, include: include)
                    flow(entries.rows(width: width, style: style), into: &page, continuation: &continuation, x: item.x, y: item.y, page: template.page)
                case .image(let file, let width, let height):
                    page.marks.append(.image(
                        path: bundle.directory + "/documents/images/" + file, PageRect(x: item.x, y: item.y, width: width, height: height)))
                }
            }
            pages.append(page)
            pages.append(contentsOf: continuation)
        }
        var paper = template.page
        if paper.isRoll {
            paper.height = max(20, pages.flatMap(\.marks).map { bottom(of: $0) }.max() ?? 0) + 5
        }
        return ComposedDocument(
            id: template.id, title: bundle.text(template.title, in: language), page: paper, language: language, pages: pages)
    }

    /// Stacks entries (each rows of marks) from `y` down, continuing on a new page at the top
    /// margin when an entry would pass the bottom margin.
    private mutating func flow(
        _ entries: [[[TextMark]]], into page: inout ComposedPage, continuation: inout [ComposedPage], x: Double, y: Double,
        page size: PageSize
    ) {
        var top = y
        var current: ComposedPage? = nil
        for rows in entries {
            var placed: [TextMark] = []
            var height = 0.0
            for row in rows {
                var rowHeight = 0.0
                for mark in row {
                    var moved = mark
                    moved.x += x
                    moved.y = height
                    rowHeight = max(rowHeight, measure.height(of: mark))
                    placed.append(moved)
                }
                height += rowHeight + 0.8
            }
            if !size.isRoll, top + height > size.height - Self.margin, top > Self.margin + 0.01 {
                if let current { continuation.append(current) }
                current = ComposedPage(marks: [])
                top = Self.margin
            }
            for var mark in placed {
                mark.y += top
                if current == nil { page.marks.append(.text(mark)) } else { current?.marks.append(.text(mark)) }
            }
            top += height + 2.5
        }
        if let current { continuation.append(current) }
    }

    private mutating func bottom(of mark: Mark) -> Double {
        switch mark {
        case .text(let text): text.y + (text.height ?? measure.height(of: text))
        case .rectangle(let rect, _), .mark(_, let rect), .qr(_, let rect), .image(_, let rect): rect.y + rect.height
        case .line(_, let y1, _, let y2, _): max(y1, y2)
        }
    }

    /// Fixed text in `language` (Japanese when the key has none there), as pieces.
    static func pieces(_ key: String, bundle: FormBundle, language: BundleLanguage, ruby: Bool) -> [TextPiece] {
        guard let string = bundle.strings[language]?.strings[key] ?? bundle.strings[.ja]?.strings[key] else { return [.plain(key)] }
        return string.segments.map { segment in
            switch segment {
            case .plain(let text): .plain(text)
            case .ruby(let base, let reading): ruby ? .ruby(base: base, reading: reading) : .plain(base)
            case .placeholder: .plain("")
            }
        }
    }

    /// The choice texts of the question a binding names (`answers.x`, `answers.repeat.y`).
    static func choices(_ path: String, bundle: FormBundle, language: BundleLanguage) -> (String) -> String? {
        let names = path.split(separator: ".").map(String.init)
        guard names.first == "answers", names.count >= 2, var question = bundle.question(names[1]) else { return { _ in nil } }
        if names.count >= 3, let nested = question.nestedQuestions.first(where: { $0.id == names[2] }) { question = nested }
        let list: [Choice]
        switch question.kind {
        case .singleChoice(let choices), .multipleChoice(let choices, _, _): list = choices
        default: return { _ in nil }
        }
        return { value in list.first { $0.value == value }.map { bundle.text($0.text, in: language) } }
    }

    /// A checkbox is marked when its value is true, equals `equals`, or (a list) holds it.
    static func isChecked(_ value: ExpressionValue, format: FieldFormat, equals: ExpressionValue?, language: BundleLanguage) -> Bool {
        guard let equals else { return value == .boolean(true) }
        if format != .text, format != .choiceText {
            guard let written = format.write(value, language: language), case .text(let wanted) = equals else { return false }
            return written == wanted
        }
        if case .list(let items) = value { return items.contains(equals) }
        return value == equals
    }

    static func reference(_ path: String) -> ExpressionReference {
        let parts = path.split(separator: ".").map(String.init)
        return ExpressionReference(ExpressionReference.Root(rawValue: parts.first ?? "") ?? .answers, Array(parts.dropFirst()))
    }
}
