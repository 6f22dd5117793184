public import Flows

/// The lines of the `procedures` item: for each procedure that applies or waits for the
/// counter, its title with a box to tick, the counter, what to bring, the due date and
/// the note, in the document's language.
public struct ChecklistEntries: Sendable {
    /// The words the program adds around the bundle's strings.
    struct Labels {
        var counter: String
        var bring: String
        var due: String
        var confirm: String
        var separator: String

        static func of(_ language: BundleLanguage) -> Labels {
            switch language {
            case .ja: Labels(counter: "窓口: ", bring: "持ち物: ", due: "期限: ", confirm: "窓口で確認します", separator: "、")
            case .en: Labels(counter: "Counter: ", bring: "Bring: ", due: "Due: ", confirm: "The counter will confirm whether this applies", separator: ", ")
            case .jaEasy: Labels(counter: "まどぐち: ", bring: "もってくるもの: ", due: "いつまで: ", confirm: "まどぐちで たしかめます", separator: "、")
            }
        }
    }

    /// One procedure's texts.
    public struct Entry: Sendable, Hashable {
        /// The procedure id.
        public var id: String
        /// Its decision.
        public var result: Outcome.Result
        /// Title, then the detail lines, as printed.
        public var lines: [String]
    }

    /// The entries, in flow order.
    public let entries: [Entry]

    /// The entries of `outcome` that `include` selects.
    public init(bundle: FormBundle, outcome: Outcome, language: BundleLanguage, include: Set<Outcome.Result>) {
        let labels = Labels.of(language)
        var entries: [Entry] = []
        for result in outcome.procedures where include.contains(result.result) {
            guard let procedure = bundle.procedures.first(where: { $0.id == result.id }) else { continue }
            var lines = [bundle.text(procedure.title, in: language)]
            if result.result == .counterWillConfirm { lines.append("※ " + labels.confirm) }
            lines.append(labels.counter + bundle.text(procedure.counter, in: language))
            if !procedure.bring.isEmpty {
                lines.append(labels.bring + procedure.bring.map { bundle.text($0, in: language) }.joined(separator: labels.separator))
            }
            if let deadline = procedure.deadline {
                var due = labels.due
                if let date = result.dueDate {
                    due += Self.date(date, language: language) + (language == .en ? " (" : "(")
                    due += bundle.text(deadline.text, in: language) + (language == .en ? ")" : ")")
                } else {
                    due += bundle.text(deadline.text, in: language)
                }
                lines.append(due)
            }
            if let note = procedure.note { lines.append(bundle.text(note, in: language)) }
            entries.append(Entry(id: procedure.id, result: result.result, lines: lines))
        }
        self.entries = entries
    }

    /// A date as the language writes it: 令和8年1月18日, or 18 January 2026.
    static func date(_ date: CalendarDate, language: BundleLanguage) -> String {
        (language == .en ? FieldFormat.westernDate : .warekiDate).write(.date(date), language: language) ?? date.description
    }

    /// Each entry as rows of marks, each row's marks at the row's top (y 0): first a box to
    /// tick beside the title in bold, then one row per detail, indented. The composer
    /// stacks the rows with their measured heights, so a wrapped line pushes the next down.
    public func rows(width: Double, style: DocumentTemplate.Style) -> [[[TextMark]]] {
        let indent = style.size * 25.4 / 72 * 1.6
        var bold = style
        bold.bold = true
        var detail = style
        detail.size = (style.size * 0.9).rounded()
        return entries.map { entry in
            var rows: [[TextMark]] = [[
                TextMark(pieces: [.plain("□")], x: 0, y: 0, style: style),
                TextMark(pieces: [.plain(entry.lines[0])], x: indent, y: 0, width: width - indent, style: bold),
            ]]
            for text in entry.lines.dropFirst() {
                rows.append([TextMark(pieces: [.plain(text)], x: indent, y: 0, width: width - indent, style: detail)])
            }
            return rows
        }
    }
}
