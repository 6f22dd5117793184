public import Documents

/// A display as the layout needs it: pixels and the active area in millimetres (the
/// display profile's `resolution` and `size`).
public struct DisplayGeometry: Sendable, Hashable {
    /// Pixels across and down.
    public var width: Int, height: Int
    /// Millimetres across and down.
    public var widthMM: Double, heightMM: Double

    /// Creates a geometry.
    public init(width: Int, height: Int, widthMM: Double, heightMM: Double) {
        self.width = width
        self.height = height
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    /// A 23.8-inch FHD kiosk monitor.
    public static let fullHD = DisplayGeometry(width: 1920, height: 1080, widthMM: 527, heightMM: 296)
    /// A 7-inch 800×480 panel.
    public static let small = DisplayGeometry(width: 800, height: 480, widthMM: 154, heightMM: 86)

    /// Dots per inch across.
    public var dpi: Double { Double(width) / widthMM * 25.4 }
}

/// The rules every screen keeps, on every display (issue 12; JIS X 8341-3 / WCAG AAA).
public enum ScreenRules {
    /// Touch targets at least this big each way (mm).
    public static let minimumTarget = 15.0
    /// Text contrast at least 7:1.
    public static let minimumContrast = 7.0
    /// Text at least this big (mm, the font's em) on any display.
    public static let minimumText = 4.0
    /// "Need more time?" gives at least this long to answer (s).
    public static let minimumMoreTime = 60
}

/// A screen placed on a display, in millimetres: filled panels, text with its colours,
/// and the touch targets.
public struct LaidOutScreen: Sendable, Hashable {
    /// A filled rectangle.
    public struct Panel: Sendable, Hashable {
        public var rect: PageRect
        public var colour: ScreenColour
        /// A thin border (buttons on a light background).
        public var outlined: Bool
    }

    /// Text on a background colour.
    public struct Text: Sendable, Hashable {
        public var mark: TextMark
        public var colour: ScreenColour
        public var background: ScreenColour
    }

    /// Where a press counts, and what it means.
    public struct Target: Sendable, Hashable {
        public var id: String
        public var rect: PageRect
    }

    /// The display.
    public var display: DisplayGeometry
    /// Drawn first.
    public var panels: [Panel]
    /// Drawn over the panels.
    public var texts: [Text]
    /// Touch targets.
    public var targets: [Target]
}

/// Places a screen on a display: the chrome bar at the top, an optional banner, the words on
/// the left, the widget on the right, the buttons at the bottom.
public enum ScreenLayout {
    static let family = "BIZ UDGothic"

    public static func layout(_ screen: Screen, on display: DisplayGeometry) -> LaidOutScreen {
        let (W, H) = (display.widthMM, display.heightMM)
        let margin = max(2.5, W * 0.015)
        let scale = screen.largeText ? 1.25 : 1.0
        // Text sizes grow with the display, never below the rule's minimum.
        let body = max(ScreenRules.minimumText, H * 0.045) * scale
        let title = body * 1.4
        let target = max(ScreenRules.minimumTarget, H * 0.1)
        var result = LaidOutScreen(display: display, panels: [], texts: [], targets: [])
        let point = 72 / 25.4

        func style(_ size: Double, bold: Bool = false) -> DocumentTemplate.Style {
            DocumentTemplate.Style(family: family, size: size * point, bold: bold)
        }
        func text(_ words: String, _ rect: PageRect, size: Double, bold: Bool = false, align: DocumentTemplate.Alignment = .left,
                  colour: ScreenColour = .ink, on background: ScreenColour = .paper) {
            result.texts.append(LaidOutScreen.Text(
                mark: TextMark(pieces: [.plain(words)], x: rect.x, y: rect.y, width: rect.width, height: rect.height, style: style(size, bold: bold),
                               align: align, fit: .wrap),
                colour: colour, background: background))
        }
        func button(_ action: ScreenAction, _ rect: PageRect, size: Double) {
            let (fill, ink): (ScreenColour, ScreenColour) =
                switch action.style {
                case .primary: (.primary, .onPrimary)
                case .secondary: (.secondary, .ink)
                case .danger: (.danger, .onPrimary)
                }
            result.panels.append(LaidOutScreen.Panel(rect: rect, colour: fill, outlined: action.style == .secondary))
            let inset = min(2, rect.width * 0.08)
            let lineHeight = size * 1.3
            text(action.label, PageRect(x: rect.x + inset, y: rect.y + max(1, (rect.height - lineHeight) / 2), width: rect.width - 2 * inset, height: min(rect.height - 2, lineHeight * 2)),
                 size: size, bold: true, align: .center, colour: ink, on: fill)
            result.targets.append(LaidOutScreen.Target(id: action.id, rect: rect))
        }

        // The bar: chrome buttons from the right, as wide as the width allows.
        result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: 0, y: 0, width: W, height: target + 2 * margin * 0.6), colour: .bar, outlined: false))
        let gap = margin * 0.5
        let chromeWidth = max(ScreenRules.minimumTarget, min(W * 0.14, (W - 2 * margin - gap * Double(screen.chrome.count - 1)) / Double(screen.chrome.count)))
        let chromeText = max(ScreenRules.minimumText, min(body * 0.8, chromeWidth / 5.2))
        for (index, action) in screen.chrome.enumerated() {
            let x = W - margin - Double(screen.chrome.count - index) * chromeWidth - Double(screen.chrome.count - 1 - index) * gap
            button(action, PageRect(x: x, y: margin * 0.6, width: chromeWidth, height: target), size: chromeText)
        }
        var top = target + 2 * margin * 0.6 + margin * 0.5
        if let banner = screen.banner {
            let height = body * 1.5
            result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: 0, y: top, width: W, height: height), colour: .warning, outlined: false))
            text(banner, PageRect(x: margin, y: top + body * 0.2, width: W - 2 * margin, height: body * 1.3), size: max(ScreenRules.minimumText, body * 0.85), colour: .ink, on: .warning)
            top += height + margin * 0.5
        }
        let hasWidget = screen.content != .none
        // With a keypad, the buttons go under the words, so the keys get the full height.
        let keypadScreen: Bool = switch screen.content {
        case .pinPad, .numberPad: true
        default: false
        }
        let bottom = screen.actions.isEmpty || keypadScreen ? H - margin : H - margin - target - margin
        let textWidth = hasWidget ? (W - 3 * margin) * 0.45 : W - 2 * margin
        let background: ScreenColour = screen.isWarning ? .warning : .paper
        if screen.isWarning {
            result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: margin * 0.5, y: top, width: textWidth + margin, height: bottom - top), colour: .warning, outlined: false))
        }
        // Words: the title, then the sentences.
        var y = top + margin * 0.5
        let titleHeight = title * 1.35 * 2
        text(screen.title, PageRect(x: margin, y: y, width: textWidth, height: titleHeight), size: title, bold: true, on: background)
        y += titleHeight + margin * 0.5
        let wordsBottom = keypadScreen && !screen.actions.isEmpty ? bottom - target - margin * 0.5 : bottom
        let lineSpace = max(body * 1.4 * 2, (wordsBottom - y) / Double(max(1, screen.lines.count)))
        for line in screen.lines where y + body * 1.4 <= wordsBottom {
            let height = min(lineSpace, wordsBottom - y)
            text(line, PageRect(x: margin, y: y, width: textWidth, height: height), size: body, on: background)
            y += height
        }
        // The widget.
        let area = PageRect(x: margin * 2 + textWidth, y: top, width: W - 3 * margin - textWidth, height: bottom - top)
        /// A keypad with what was typed above it, or, where the height is short, beside it
        /// under the words; 3×4 keys, or 4×3 on a low display.
        func pad(_ keys: [String], shown: String, bold: Bool) {
            let dotsHeight = body * 1.8
            for dotsAbove in [true, false] {
                let height = area.height - (dotsAbove ? dotsHeight : 0)
                for (columns, rows) in [(3, 4), (4, 3)] {
                    let size = min((area.width - 1.5 * Double(columns - 1)) / Double(columns), (height - 1.5 * Double(rows - 1)) / Double(rows))
                    guard size >= ScreenRules.minimumTarget else { continue }
                    let padRect = PageRect(x: area.x, y: area.y + (dotsAbove ? dotsHeight : 0), width: area.width, height: height)
                    let shownRect = dotsAbove
                        ? PageRect(x: area.x, y: area.y, width: area.width, height: body * 1.6)
                        : PageRect(x: margin, y: wordsBottom - body * 1.8, width: textWidth, height: body * 1.6)
                    text(shown, shownRect, size: body * 1.2, bold: bold, align: dotsAbove ? .center : .left, on: dotsAbove ? .paper : background)
                    keypad(keys, screen: screen, columns: columns, in: padRect, body: body, button: button)
                    return
                }
            }
            keypad(keys, screen: screen, columns: 4, in: area, body: body, button: button)
        }
        switch screen.content {
        case .none:
            break
        case .pinPad(let entered, let length):
            let dots = String(repeating: "●", count: entered) + String(repeating: "○", count: max(0, length - entered))
            pad(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"], shown: dots, bold: false)
        case .numberPad(let value, let unit):
            pad(["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete"], shown: value + (unit.map { " " + $0 } ?? ""), bold: true)
        case .choices(let choices):
            // As many columns as it takes for the rows to fit the height (up to 3).
            var columns = 1
            while columns < 3, Double((choices.count + columns - 1) / columns) * (ScreenRules.minimumTarget + gap) - gap > area.height { columns += 1 }
            let rows = (choices.count + columns - 1) / columns
            let height = max(ScreenRules.minimumTarget, min(target * 1.3, (area.height - gap * Double(rows - 1)) / Double(rows)))
            let width = (area.width - gap * Double(columns - 1)) / Double(columns)
            for (index, choice) in choices.enumerated() {
                let (row, column) = (index / columns, index % columns)
                button(choice, PageRect(x: area.x + Double(column) * (width + gap), y: area.y + Double(row) * (height + gap), width: width, height: height), size: body)
            }
        case .rows(let rows):
            var rowY = area.y
            let rowHeight = min(body * 1.5 * 3, area.height / Double(max(1, rows.count)))
            for row in rows {
                text(row.label, PageRect(x: area.x, y: rowY, width: area.width * 0.3, height: rowHeight), size: max(ScreenRules.minimumText, body * 0.9))
                text(row.value, PageRect(x: area.x + area.width * 0.32, y: rowY, width: area.width * 0.68, height: rowHeight), size: body, bold: true)
                rowY += rowHeight
            }
        case .progress(let done, let total):
            let bar = PageRect(x: area.x, y: area.y + area.height / 2 - body, width: area.width, height: body * 2)
            result.panels.append(LaidOutScreen.Panel(rect: bar, colour: .secondary, outlined: true))
            let share = total.map { $0 > 0 ? Double(done) / Double($0) : 0 } ?? 0.3
            result.panels.append(LaidOutScreen.Panel(rect: PageRect(x: bar.x, y: bar.y, width: bar.width * share, height: bar.height), colour: .primary, outlined: false))
        case .textEntry(let value):
            let box = PageRect(x: area.x, y: area.y + margin, width: area.width, height: target)
            result.panels.append(LaidOutScreen.Panel(rect: box, colour: .paper, outlined: true))
            text(value, PageRect(x: box.x + 2, y: box.y + (box.height - body * 1.3) / 2, width: box.width - 4, height: body * 1.3), size: body)
        }
        // The screen's buttons, main one on the right: under the words beside a keypad,
        // else across the bottom.
        if keypadScreen && !screen.actions.isEmpty {
            let count = Double(screen.actions.count)
            let width = max(ScreenRules.minimumTarget, (textWidth - gap * (count - 1)) / count)
            for (index, action) in screen.actions.enumerated() {
                button(action, PageRect(x: margin + Double(index) * (width + gap), y: H - margin - target, width: width, height: target), size: body)
            }
        } else if !screen.actions.isEmpty {
            let width = max(ScreenRules.minimumTarget, min(W * 0.3, (W - 2 * margin - gap * Double(screen.actions.count - 1)) / Double(screen.actions.count)))
            for (index, action) in screen.actions.enumerated() {
                let x = W - margin - Double(screen.actions.count - index) * width - Double(screen.actions.count - 1 - index) * gap
                button(action, PageRect(x: x, y: H - margin - target, width: width, height: target), size: body)
            }
        }
        return result
    }

    /// A keypad of `columns` columns filling `rect`, keys square and at least the minimum
    /// target.
    static func keypad(
        _ keys: [String], screen: Screen, columns: Int, in rect: PageRect, body: Double, button: (ScreenAction, PageRect, Double) -> Void
    ) {
        let gap = 1.5
        let rows = (keys.count + columns - 1) / columns
        let size = max(
            ScreenRules.minimumTarget,
            min((rect.width - gap * Double(columns - 1)) / Double(columns), (rect.height - gap * Double(rows - 1)) / Double(rows)))
        let left = rect.x + (rect.width - (Double(columns) * size + Double(columns - 1) * gap)) / 2
        for (index, key) in keys.enumerated() {
            let label: String =
                switch key {
                case "clear": screen.language == .en ? "Clear" : "訂正"
                case "ok": "OK"
                case "delete": screen.language == .en ? "Del" : "消す"
                default: key
                }
            let style: ScreenAction.Style = key == "ok" ? .primary : .secondary
            let frame = PageRect(
                x: left + Double(index % columns) * (size + gap), y: rect.y + Double(index / columns) * (size + gap), width: size, height: size)
            button(ScreenAction("key.\(key)", label, style), frame, max(ScreenRules.minimumText, min(body * 1.1, size * 0.45)))
        }
    }
}
