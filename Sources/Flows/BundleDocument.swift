public import Contracts

/// What the flow engine needs of a document (`documents/<doc>.yaml`): its id, title, the
/// values it binds, the string keys and images it uses and its conditions. Drawing it is
/// the rendering layer's work; the raw description stays in `node`.
public struct BundleDocument: Sendable, Hashable {
    /// A value a document item prints.
    public struct Binding: Sendable, Hashable {
        /// `identity.name`, `answers.x`, `computed.y`, `submission.id`, `item.z`.
        public var path: String
        /// The item's `format`, if any.
        public var format: String?
        /// For `item.*` bindings: the repeat answer the table binds.
        public var table: String?
        /// Where the binding stands.
        public var location: FilePosition
    }

    /// The document id (the file name).
    public var id: String
    /// String key of its title.
    public var title: String
    /// `ja` or `session`.
    public var language: String
    /// Every binding, in order.
    public var bindings: [Binding]
    /// Every string key it uses, with where.
    public var stringKeys: [(key: String, location: FilePosition)]
    /// Item conditions.
    public var conditions: [SourceExpression]
    /// Image files (relative to `documents/images/`).
    public var images: [(file: String, location: FilePosition)]
    /// The whole description as read.
    public var node: DataNode

    /// Equality by id and description.
    public static func == (lhs: BundleDocument, rhs: BundleDocument) -> Bool { lhs.id == rhs.id && lhs.node == rhs.node }

    /// Hashes id and description.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(node)
    }
}

extension NodeReader {
    static let documentKeys = ["id", "title", "page", "font", "language", "items"]
    static let itemKeys: [String: [String]] = [
        "text": ["text", "width", "size", "font", "bold", "align", "ruby"],
        "field": ["bind", "format", "width", "height", "fit", "cells", "size", "font", "bold", "align"],
        "checkbox": ["bind", "format", "equals", "mark", "width", "height"],
        "box": ["width", "height", "lineWidth"],
        "line": ["x2", "y2", "lineWidth"],
        "qr": ["bind", "size"],
        "table": ["bind", "rows", "rowHeight", "columns", "size", "font"],
        "procedures": ["width", "size", "include"],
        "image": ["file", "width", "height"],
    ]

    /// Reads `documents/<doc>.yaml` for the checks the flow engine makes.
    mutating func decodeDocument(_ root: DataNode, expectedId: String) -> BundleDocument? {
        let subject = Subject(ja: "文書「\(expectedId)」", en: "document \"\(expectedId)\"")
        guard let members = mapping(root, subject, allowed: Self.documentKeys, required: ["id", "title", "page", "font", "items"]) else {
            return nil
        }
        let id = named(members["id"]?.value, "id", subject, .slug)
        if let id, id != expectedId, let node = members["id"]?.value {
            error(
                .layout, node.location,
                ja: "文書の id「\(id)」がファイル名「\(expectedId).yaml」と違います。同じにしてください。",
                en: "the document id \"\(id)\" differs from its file name \"\(expectedId).yaml\"; make them equal.")
        }
        let title = named(members["title"]?.value, "title", subject, .stringKey)
        let language = members["language"].flatMap { text($0.value, "language", subject) } ?? "ja"
        if !["ja", "session"].contains(language), let node = members["language"]?.value {
            error(
                .structure, node.location,
                ja: "\(subject.ja)の language は ja か session にしてください。",
                en: "language of \(subject.en) must be ja or session.")
        }
        var bindings: [BundleDocument.Binding] = []
        var keys: [(key: String, location: FilePosition)] = []
        var conditions: [SourceExpression] = []
        var images: [(file: String, location: FilePosition)] = []
        if let title, let node = members["title"]?.value { keys.append((title, node.location)) }
        for (index, item) in (list(members["items"]?.value, "items", subject) ?? []).enumerated() {
            let type: String? = if case .string(let type)? = item["type"]?.value { type } else { nil }
            let itemSubject = Subject(ja: "\(subject.ja)の\(Subject.item(index, type: type).ja)", en: "\(Subject.item(index, type: type).en) of \(subject.en)")
            let allowed = ["type", "x", "y", "when"] + (type.flatMap { Self.itemKeys[$0] } ?? Self.itemKeys.values.flatMap { $0 })
            guard let parts = mapping(item, itemSubject, allowed: Array(Set(allowed)).sorted(), required: ["type", "x", "y"]) else { continue }
            if let type, Self.itemKeys[type] == nil, let node = parts["type"]?.value {
                let options = Self.itemKeys.keys.sorted()
                let suggestion = NearMiss.suggestion(for: type, among: options)
                error(
                    .structure, node.location,
                    ja: "\(itemSubject.ja)の type「\(Self.shown(type))」はありません。\(options.joined(separator: "、")) のどれかにしてください\(suggestion.map { "(「\($0)」ではありませんか?)" } ?? "")。",
                    en: "\(itemSubject.en) has type \"\(Self.shown(type))\", which does not exist; use one of \(options.joined(separator: ", "))\(suggestion.map { " (did you mean \"\($0)\"?)" } ?? "").")
            }
            if let when = expression(parts["when"]?.value, "when", itemSubject) { conditions.append(when) }
            let format = parts["format"].flatMap { text($0.value, "format", itemSubject) }
            if let node = parts["bind"]?.value, let path = text(node, "bind", itemSubject) {
                bindings.append(.init(path: path, format: format, table: nil, location: contentStart(of: node)))
                if type == "table", let columns = list(parts["columns"]?.value, "columns", itemSubject) {
                    for column in columns {
                        guard let columnNode = column["bind"], let columnPath = text(columnNode, "bind", itemSubject) else { continue }
                        let columnFormat: String? = if case .string(let f)? = column["format"]?.value { f } else { nil }
                        bindings.append(.init(path: columnPath, format: columnFormat, table: path, location: contentStart(of: columnNode)))
                    }
                }
            }
            if let node = parts["text"]?.value, let key = named(node, "text", itemSubject, .stringKey) { keys.append((key, node.location)) }
            if let node = parts["file"]?.value, let file = text(node, "file", itemSubject) { images.append((file, node.location)) }
        }
        guard let id, let title else { return nil }
        return BundleDocument(
            id: id, title: title, language: language, bindings: bindings, stringKeys: keys, conditions: conditions,
            images: images, node: root)
    }
}
