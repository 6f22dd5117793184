/// The same screen model on a terminal (staff over SSH, technicians, `make demo`): lines of
/// exactly `columns` cells, East Asian wide characters counted as two, keys named.
public enum TerminalScreen {
    /// Cells a character takes on a terminal: 2 for East Asian wide and full-width forms,
    /// 0 for combining marks and variation selectors, else 1.
    public static func cells(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if first.properties.generalCategory == .nonspacingMark || (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
            0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// Cells a string takes.
    public static func width(_ text: String) -> Int { text.reduce(0) { $0 + cells($1) } }

    /// `text` cut into lines of at most `width` cells (never splitting a wide character).
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = "", used = 0
        for character in text {
            let size = cells(character)
            if used + size > width, !line.isEmpty {
                lines.append(line)
                line = ""
                used = 0
                if character == " " { continue }
            }
            line.append(character)
            used += size
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` padded (or cut) to exactly `width` cells.
    public static func fit(_ text: String, width: Int) -> String {
        var out = "", used = 0
        for character in text {
            let size = cells(character)
            if used + size > width { break }
            out.append(character)
            used += size
        }
        return out + String(repeating: " ", count: width - used)
    }

    /// The screen as `rows` lines of `columns` cells: the keys on top, the words, the
    /// widget with the keys that work it, the buttons with theirs. Nothing else is shown,
    /// and a session is never mirrored elsewhere: the lines go to one terminal.
    public static func lines(_ screen: Screen, columns: Int, rows: Int) -> [String] {
        let en = screen.language == .en
        var out: [String] = []
        let keys = en ? "F1 日本語  F2 English  F3 やさしい日本語  F4 Text size  F5 Help  Esc Cancel"
            : "F1 日本語  F2 English  F3 やさしい日本語  F4 文字の大きさ  F5 ヘルプ  Esc やめる"
        out += wrap(keys, width: columns)
        out.append(String(repeating: "-", count: columns))
        if let banner = screen.banner { out += wrap("! " + banner, width: columns) }
        out += wrap((screen.isWarning ? "!! " : "") + screen.title, width: columns)
        out.append("")
        for line in screen.lines { out += wrap(line, width: columns) }
        out.append("")
        switch screen.content {
        case .none: break
        case .pinPad(let entered, let length):
            // Ambiguous-width symbols (● ○) take one cell or two depending on the terminal.
            out.append("[ " + Array(repeating: "*", count: entered).joined(separator: " ") + (entered > 0 && entered < length ? " " : "")
                + Array(repeating: "_", count: max(0, length - entered)).joined(separator: " ") + " ]")
            out += wrap(en ? "Type the digits; Backspace clears; Enter confirms." : "数字を押してください。Backspace で訂正、Enter で決定。", width: columns)
        case .numberPad(let value, let unit):
            out.append("[ \(value)\(unit.map { " " + $0 } ?? "") ]")
            out += wrap(en ? "Type the number; Backspace clears." : "数字を押してください。Backspace で訂正。", width: columns)
        case .choices(let choices):
            for (index, choice) in choices.enumerated() { out += wrap("  \(index + 1)) \(choice.label)", width: columns) }
        case .rows(let rows):
            let labelWidth = min(columns / 3, rows.map { width($0.label) }.max() ?? 0)
            for row in rows { out += wrap(fit(row.label, width: labelWidth) + "  " + row.value, width: columns) }
        case .progress(let done, let total):
            let bar = max(10, columns - 12)
            let filled = total.map { $0 > 0 ? bar * done / $0 : 0 } ?? bar / 3
            out.append("[" + String(repeating: "#", count: filled) + String(repeating: ".", count: bar - filled) + "]")
        case .textEntry(let value):
            out.append("[ \(value) ]")
        }
        if !screen.actions.isEmpty {
            out.append("")
            let main = screen.actions.last { $0.style == .primary }
            var parts: [String] = []
            for action in screen.actions {
                let key = action == main ? "Enter" : action.id == "back" ? "Backspace" : nil
                parts.append(key.map { "\($0): \(action.label)" } ?? action.label)
            }
            out += wrap(parts.joined(separator: "   "), width: columns)
        }
        var fitted = out.prefix(rows).map { fit($0, width: columns) }
        while fitted.count < rows { fitted.append(String(repeating: " ", count: columns)) }
        return fitted
    }

    /// ANSI for a full redraw: home, each line, clear to the end.
    public static func ansi(_ lines: [String]) -> String {
        "\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J"
    }
}
