/// A plain-text table for terminals: the first column left-aligned, the others right-
/// aligned, widths measured in terminal cells (kanji and kana take two).
struct TextTable {
    var header: [String]
    var rows: [[String]]

    /// The table's lines, each indented by `indent` spaces, without trailing spaces.
    func lines(indent: Int = 2) -> [String] {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], TextWidth.cells(cell)) }
        }
        return all.map { row in
            var line = String(repeating: " ", count: indent)
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - TextWidth.cells(cell))
                if index == 0 {
                    line += cell + padding
                } else {
                    line += "  " + padding + cell
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}

/// Terminal cell widths: East Asian wide and full-width characters take two cells,
/// combining marks none, everything else one.
enum TextWidth {
    static func cells(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + cells($1) }
    }

    static func cells(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
