public import Contracts
public import Flows
public import MadoguchiCore

/// A document description (`documents/<doc>.yaml`) read into types the composer draws from.
///
/// The flow loader has already checked the file against its schema and its bindings
/// against the flow; reading it again here still refuses, with a precise message, anything
/// it cannot draw, so a document built in code or a later edit never crashes the renderer.
public struct DocumentTemplate: Sendable, Hashable {
    /// Horizontal placement inside a width.
    public enum Alignment: String, Sendable, Hashable {
        case left, center, right
    }

    /// What a field does with a value longer than its box.
    public enum Fit: String, Sendable, Hashable {
        /// Smaller type until it fits on one line.
        case shrink
        /// Wraps within the width; smaller type when the lines pass the height.
        case wrap
        /// Prints nothing and flags the field for staff.
        case error
    }

    /// A check mark's shape.
    public enum MarkShape: String, Sendable, Hashable {
        case check, cross, circle
    }

    /// Font choices an item may override.
    public struct Style: Sendable, Hashable {
        /// Family name as fontconfig knows it (`IPAmj明朝`, `BIZ UDGothic`).
        public var family: String
        /// Size in points.
        public var size: Double
        /// Bold weight.
        public var bold: Bool

        /// Creates a style.
        public init(family: String, size: Double, bold: Bool = false) {
            self.family = family
            self.size = size
            self.bold = bold
        }
    }

    /// One column of a table.
    public struct Column: Sendable, Hashable {
        /// `item.<id>`.
        public var bind: String
        /// Left edge from the table's x.
        public var x: Double
        /// Width.
        public var width: Double
        /// How the value is written.
        public var format: FieldFormat
        /// Type.
        public var style: Style
        /// Alignment.
        public var align: Alignment
    }

    /// One thing drawn on the page.
    public enum Content: Sendable, Hashable {
        case text(key: String, width: Double?, style: Style, align: Alignment, ruby: Bool)
        case field(
            bind: String, format: FieldFormat, width: Double?, height: Double?, fit: Fit, cells: Int?, style: Style,
            align: Alignment)
        case checkbox(bind: String, format: FieldFormat, equals: ExpressionValue?, mark: MarkShape, width: Double, height: Double)
        case box(width: Double, height: Double, lineWidth: Double)
        case line(x2: Double, y2: Double, lineWidth: Double)
        case qr(bind: String, size: Double)
        case table(bind: String, rows: Int, rowHeight: Double, columns: [Column])
        case procedures(width: Double, style: Style, include: Set<Outcome.Result>)
        case image(file: String, width: Double, height: Double)
    }

    /// An item: where, when, what.
    public struct Item: Sendable, Hashable {
        /// Its number in `items`, from 1 (as messages name it).
        public var number: Int
        /// Left edge (mm).
        public var x: Double
        /// Top edge (mm).
        public var y: Double
        /// Drawn only when true.
        public var when: SourceExpression?
        /// What it draws.
        public var content: Content
        /// Where it stands in its file.
        public var location: FilePosition
    }

    /// The document id.
    public var id: String
    /// String key of its title.
    public var title: String
    /// The paper.
    public var page: PageSize
    /// The default type.
    public var style: Style
    /// Whether it prints in the session's language (`session`) or always Japanese.
    public var followsSession: Bool
    /// The items, in drawing order.
    public var items: [Item]

    /// Reads a loaded bundle's document.
    public init(_ document: BundleDocument, conditions: [SourceExpression] = []) throws(DocumentError) {
        try self.init(node: document.node, conditions: document.conditions)
    }

    /// Reads a document description. `conditions` are the parsed `when` expressions, in item
    /// order (the flow loader parses them; a `when` without a parsed expression is refused).
    public init(node: DataNode, conditions: [SourceExpression]) throws(DocumentError) {
        let reader = Reader(node: node)
        id = try reader.string(node, "id")
        title = try reader.string(node, "title")
        let pageNode = try reader.required(node, "page")
        if let size = pageNode["size"] {
            guard case .string(let name) = size.value, let named = PageSize.named[name] else {
                throw reader.error(size, "page.size", ja: "A4、A5、B5、B4、A3、receipt80、receipt58 のどれか", en: "one of A4, A5, B5, B4, A3, receipt80, receipt58")
            }
            let landscape = pageNode["orientation"].map { $0.value == .string("landscape") } ?? false
            page = landscape ? named.landscape : named
        } else {
            page = PageSize(width: try reader.number(pageNode, "width", in: 20...1000), height: try reader.number(pageNode, "height", in: 20...2000))
        }
        let fontNode = try reader.required(node, "font")
        style = Style(family: try reader.string(fontNode, "family"), size: try reader.number(fontNode, "size", in: 4...72), bold: false)
        followsSession = node["language"]?.value == .string("session")
        guard case .array(let itemNodes)? = node["items"]?.value else {
            throw DocumentError(location: node.location, ja: "文書に items(描く項目のリスト)がありません。", en: "the document has no items list.")
        }
        var remaining = conditions[...]
        var items: [Item] = []
        for (index, itemNode) in itemNodes.enumerated() {
            var when: SourceExpression?
            if itemNode["when"] != nil {
                guard let condition = remaining.popFirst() else {
                    throw DocumentError(
                        location: itemNode.location, ja: "項目 \(index + 1) の when が読めていません。forms lint で確かめてください。",
                        en: "the when of item \(index + 1) was not parsed; check the bundle with forms lint.")
                }
                when = condition
            }
            items.append(try reader.item(itemNode, number: index + 1, when: when, defaults: style))
        }
        self.items = items
    }
}

/// A document that cannot be drawn: what is wrong and where, never a value.
public struct DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where.
    public var location: FilePosition
    /// The sentence in both languages.
    public var message: BilingualText

    /// Creates an error.
    public init(location: FilePosition, ja: String, en: String) {
        self.location = location
        message = BilingualText(ja: ja, en: en)
    }

    /// `file:line:col: error: ja / en`.
    public var description: String { "\(location): error: \(message)" }
}

/// Reads typed values out of a document's nodes, refusing what does not fit.
private struct Reader {
    let node: DataNode

    func error(_ at: DataNode, _ key: String, ja: String, en: String) -> DocumentError {
        DocumentError(location: at.location, ja: "\(key) は\(ja)にしてください。", en: "\(key) must be \(en).")
    }

    func required(_ parent: DataNode, _ key: String) throws(DocumentError) -> DataNode {
        guard let child = parent[key] else {
            throw DocumentError(location: parent.location, ja: "\(key) がありません。", en: "\(key) is missing.")
        }
        return child
    }

    func string(_ parent: DataNode, _ key: String) throws(DocumentError) -> String {
        let child = try required(parent, key)
        guard case .string(let text) = child.value, !text.isEmpty else {
            throw error(child, key, ja: "空でない文字列", en: "non-empty text")
        }
        return text
    }

    func optionalString(_ parent: DataNode, _ key: String) throws(DocumentError) -> String? {
        guard parent[key] != nil else { return nil }
        return try string(parent, key)
    }

    func number(_ parent: DataNode, _ key: String, in range: ClosedRange<Double>) throws(DocumentError) -> Double {
        let child = try required(parent, key)
        guard case .number(let value) = child.value, range.contains(value) else {
            let bounds = "\(PageSize.millimetres(range.lowerBound))〜\(PageSize.millimetres(range.upperBound))"
            throw error(child, key, ja: " \(bounds) の数", en: "a number from \(bounds.replacingOccurrences(of: "〜", with: " to "))")
        }
        return value
    }

    func optionalNumber(_ parent: DataNode, _ key: String, in range: ClosedRange<Double>) throws(DocumentError) -> Double? {
        guard parent[key] != nil else { return nil }
        return try number(parent, key, in: range)
    }

    func flag(_ parent: DataNode, _ key: String) throws(DocumentError) -> Bool {
        guard let child = parent[key] else { return false }
        guard case .bool(let value) = child.value else { throw error(child, key, ja: " true か false", en: "true or false") }
        return value
    }

    func choice<Value: RawRepresentable<String>>(_ parent: DataNode, _ key: String, default fallback: Value) throws(DocumentError) -> Value {
        guard let child = parent[key] else { return fallback }
        guard case .string(let text) = child.value, let value = Value(rawValue: text) else {
            throw error(child, key, ja: "決められた値のどれか", en: "one of the allowed words")
        }
        return value
    }

    func style(_ parent: DataNode, _ defaults: DocumentTemplate.Style) throws(DocumentError) -> DocumentTemplate.Style {
        DocumentTemplate.Style(
            family: try optionalString(parent, "font") ?? defaults.family,
            size: try optionalNumber(parent, "size", in: 4...72) ?? defaults.size,
            bold: try flag(parent, "bold"))
    }

    func format(_ parent: DataNode) throws(DocumentError) -> FieldFormat {
        try choice(parent, "format", default: FieldFormat.text)
    }

    func item(_ item: DataNode, number: Int, when: SourceExpression?, defaults: DocumentTemplate.Style) throws(DocumentError)
        -> DocumentTemplate.Item
    {
        let type = try string(item, "type")
        let x = try self.number(item, "x", in: 0...1000)
        let y = try self.number(item, "y", in: 0...1000)
        let content: DocumentTemplate.Content
        switch type {
        case "text":
            content = .text(
                key: try string(item, "text"), width: try optionalNumber(item, "width", in: 1...1000), style: try style(item, defaults),
                align: try choice(item, "align", default: .left), ruby: try flag(item, "ruby"))
        case "field":
            content = .field(
                bind: try string(item, "bind"), format: try format(item), width: try optionalNumber(item, "width", in: 1...1000),
                height: try optionalNumber(item, "height", in: 1...1000), fit: try choice(item, "fit", default: .shrink),
                cells: try optionalNumber(item, "cells", in: 1...60).map { Int($0) }, style: try style(item, defaults),
                align: try choice(item, "align", default: .left))
        case "checkbox":
            var equals: ExpressionValue?
            switch item["equals"]?.value {
            case .string(let text)?: equals = .text(text)
            case .number(let value)?: equals = .number(value)
            case .bool(let value)?: equals = .boolean(value)
            default: equals = nil
            }
            content = .checkbox(
                bind: try string(item, "bind"), format: try format(item), equals: equals, mark: try choice(item, "mark", default: .check),
                width: try optionalNumber(item, "width", in: 1...200) ?? 5, height: try optionalNumber(item, "height", in: 1...200) ?? 5)
        case "box":
            content = .box(
                width: try self.number(item, "width", in: 0.1...1000), height: try self.number(item, "height", in: 0.1...1000),
                lineWidth: try optionalNumber(item, "lineWidth", in: 0.05...10) ?? 0.3)
        case "line":
            content = .line(
                x2: try self.number(item, "x2", in: 0...1000), y2: try self.number(item, "y2", in: 0...1000),
                lineWidth: try optionalNumber(item, "lineWidth", in: 0.05...10) ?? 0.3)
        case "qr":
            content = .qr(bind: try string(item, "bind"), size: try optionalNumber(item, "size", in: 10...100) ?? 25)
        case "table":
            guard case .array(let columnNodes)? = item["columns"]?.value, !columnNodes.isEmpty else {
                throw DocumentError(location: item.location, ja: "表(項目 \(number))に columns がありません。", en: "the table (item \(number)) has no columns.")
            }
            var columns: [DocumentTemplate.Column] = []
            for column in columnNodes {
                columns.append(DocumentTemplate.Column(
                    bind: try string(column, "bind"), x: try self.number(column, "x", in: 0...1000),
                    width: try self.number(column, "width", in: 1...1000), format: try format(column),
                    style: try style(column, defaults), align: try choice(column, "align", default: .left)))
            }
            content = .table(
                bind: try string(item, "bind"), rows: Int(try self.number(item, "rows", in: 1...100)),
                rowHeight: try self.number(item, "rowHeight", in: 2...100), columns: columns)
        case "procedures":
            var include: Set<Outcome.Result> = [.applies, .counterWillConfirm]
            if let node = item["include"] {
                guard case .array(let words) = node.value else { throw error(node, "include", ja: "リスト", en: "a list") }
                include = []
                for word in words {
                    guard case .string(let text) = word.value, let result = Outcome.Result(rawValue: text) else {
                        throw error(word, "include", ja: " applies か counterWillConfirm", en: "applies or counterWillConfirm")
                    }
                    include.insert(result)
                }
            }
            content = .procedures(width: try self.number(item, "width", in: 10...1000), style: try style(item, defaults), include: include)
        case "image":
            content = .image(
                file: try string(item, "file"), width: try self.number(item, "width", in: 1...1000),
                height: try self.number(item, "height", in: 1...1000))
        default:
            throw DocumentError(
                location: item.location, ja: "項目 \(number) の type「\(type)」は描けません。", en: "item \(number) has type \"\(type)\", which cannot be drawn.")
        }
        return DocumentTemplate.Item(number: number, x: x, y: y, when: when, content: content, location: item.location)
    }
}
