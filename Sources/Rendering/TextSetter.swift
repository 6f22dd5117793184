internal import CPangoCairo
internal import Documents

/// Lays out and draws `TextMark`s with Pango on a Cairo context whose user units are
/// millimetres: fonts chosen per character (`FontCoverage`), wrapping, shrinking to fit,
/// cells and furigana. The same code measures (for the composer) and draws.
final class TextSetter {
    /// The smallest size a field may shrink to before it is flagged.
    static let readableSize = 6.0
    static let millimetresPerPoint = 25.4 / 72

    let coverage: FontCoverage
    private let context: OpaquePointer

    /// A setter drawing on `cr` (whose transform maps millimetres to device units).
    init(coverage: FontCoverage, cairo cr: OpaquePointer) {
        self.coverage = coverage
        context = pango_cairo_create_context(cr)
        let options = cairo_font_options_create()
        defer { cairo_font_options_destroy(options) }
        // Metrics must not depend on the device: the same layout on paper and in a PNG.
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        pango_context_set_round_glyph_positions(context, 0)
    }

    deinit { madoguchi_pangocairo_unref(UnsafeMutableRawPointer(context)) }

    /// Where a setting stands once laid out.
    struct Result {
        var height: Double
        var problems: Set<RenderFlag.Reason>
    }

    /// One laid-out line or paragraph.
    final class Laid {
        let layout: OpaquePointer
        let width: Double
        let height: Double
        init(_ layout: OpaquePointer) {
            self.layout = layout
            var logical = PangoRectangle()
            pango_layout_get_extents(layout, nil, &logical)
            width = Double(logical.width) / Double(PANGO_SCALE)
            height = Double(logical.height) / Double(PANGO_SCALE)
        }
        deinit { madoguchi_pangocairo_unref(UnsafeMutableRawPointer(layout)) }
    }

    /// Lays out `text` in `style` at `size` points; wraps at `width` mm when given.
    func lay(_ text: String, _ style: DocumentTemplate.Style, size: Double, wrapAt width: Double? = nil) throws(RenderingError)
        -> (laid: Laid, problems: Set<FontCoverage.Problem>)
    {
        guard let face = coverage.face(style.family) else {
            throw RenderingError(
                operation: "choosing a font",
                message: "フォント「\(style.family)」が入っていません。scripts/bootstrap で入れるか、文書の font を入っているものにしてください / font \"\(style.family)\" is not installed; install it (scripts/bootstrap) or name an installed font in the document")
        }
        let (shown, runs, problems) = coverage.plan(text, preferred: face)
        let layout = pango_layout_new(context)!
        let description = pango_font_description_new()
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, style.family)
        pango_font_description_set_absolute_size(description, size * Self.millimetresPerPoint * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_layout_set_font_description(layout, description)
        let attributes = pango_attr_list_new()
        defer { pango_attr_list_unref(attributes) }
        // Our runs decide the font; Pango must not fall back on its own.
        pango_attr_list_insert(attributes, pango_attr_fallback_new(0))
        for run in runs {
            let family = pango_attr_family_new(run.family)!
            family.pointee.start_index = UInt32(run.start)
            family.pointee.end_index = UInt32(run.end)
            pango_attr_list_insert(attributes, family)
        }
        pango_layout_set_attributes(layout, attributes)
        if let width {
            pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_text(layout, shown, -1)
        return (Laid(layout), problems)
    }

    /// Sets `mark`: lays it out by its fit rule and, when `cr` is given, draws it.
    func set(_ mark: TextMark, on cr: OpaquePointer?) throws(RenderingError) -> Result {
        if mark.showsRuby, mark.pieces.contains(where: { if case .ruby = $0 { true } else { false } }) {
            return try setRuby(mark, on: cr)
        }
        let text = mark.plainText
        var problems: Set<RenderFlag.Reason> = []
        func note(_ found: Set<FontCoverage.Problem>) {
            for problem in found { problems.insert(problem == .missingGlyph ? .missingGlyph : .missingVariant) }
        }
        if let cells = mark.cells, let width = mark.width {
            let characters = Array(text)
            guard characters.count <= cells else { return Result(height: 0, problems: [.doesNotFit]) }
            let cell = width / Double(cells)
            var height = 0.0
            for (index, character) in characters.enumerated() {
                var size = mark.style.size
                var (laid, found) = try lay(String(character), mark.style, size: size)
                if laid.width > cell {
                    size *= cell / laid.width * 0.98
                    (laid, found) = try lay(String(character), mark.style, size: size)
                }
                note(found)
                height = max(height, laid.height)
                if let cr { draw(laid, cr, x: mark.x + cell * Double(index) + (cell - laid.width) / 2, y: mark.y) }
            }
            return Result(height: height, problems: problems)
        }
        var size = mark.style.size
        let wraps = mark.width != nil && (mark.fit == nil || mark.fit == .wrap)
        var (laid, found) = try lay(text, mark.style, size: size, wrapAt: wraps ? mark.width : nil)
        func fits(_ laid: Laid) -> Bool {
            (mark.width.map { laid.width <= $0 + 0.001 } ?? true) && (mark.height.map { laid.height <= $0 + 0.001 } ?? true)
        }
        if !fits(laid) {
            switch mark.fit {
            case .error?:
                return Result(height: 0, problems: [.doesNotFit])
            case .shrink?:
                var factor = mark.width.map { min(1, $0 / laid.width) } ?? 1
                factor = min(factor, mark.height.map { min(1, $0 / laid.height) } ?? 1)
                size *= factor * 0.995
                (laid, found) = try lay(text, mark.style, size: size)
            case .wrap?, nil:
                // Smaller type until the wrapped lines fit the height (5% a step).
                while !fits(laid), size > 2 {
                    size *= 0.95
                    (laid, found) = try lay(text, mark.style, size: size, wrapAt: mark.width)
                }
            }
            if mark.fit != nil, size < Self.readableSize { problems.insert(.tooSmall) }
        }
        note(found)
        if let cr {
            var x = mark.x
            if !wraps, let width = mark.width {
                switch mark.align {
                case .left: break
                case .center: x += (width - laid.width) / 2
                case .right: x += width - laid.width
                }
            } else if wraps {
                pango_layout_set_alignment(
                    laid.layout, mark.align == .center ? PANGO_ALIGN_CENTER : mark.align == .right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
            }
            draw(laid, cr, x: x, y: mark.y)
        }
        return Result(height: laid.height, problems: problems)
    }

    /// Furigana over each ruby base, half the size, on a line of its own above the text.
    private func setRuby(_ mark: TextMark, on cr: OpaquePointer?) throws(RenderingError) -> Result {
        var size = mark.style.size
        var reading = mark.style
        reading.bold = false
        func layPieces(_ size: Double) throws(RenderingError) -> [(base: Laid, reading: Laid?)] {
            var laid: [(base: Laid, reading: Laid?)] = []
            for piece in mark.pieces {
                switch piece {
                case .plain(let text): laid.append((try lay(text, mark.style, size: size).laid, nil))
                case .ruby(let base, let text):
                    laid.append((try lay(base, mark.style, size: size).laid, try lay(text, reading, size: size / 2).laid))
                }
            }
            return laid
        }
        var pieces = try layPieces(size)
        var total = pieces.map { max($0.base.width, $0.reading?.width ?? 0) }.reduce(0, +)
        if let width = mark.width, total > width {
            size *= width / total * 0.995
            pieces = try layPieces(size)
            total = pieces.map { max($0.base.width, $0.reading?.width ?? 0) }.reduce(0, +)
        }
        let readingHeight = pieces.compactMap { $0.reading?.height }.max() ?? 0
        let baseHeight = pieces.map(\.base.height).max() ?? 0
        if let cr {
            var x = mark.x
            if let width = mark.width {
                x += mark.align == .center ? (width - total) / 2 : mark.align == .right ? width - total : 0
            }
            for (base, reading) in pieces {
                let advance = max(base.width, reading?.width ?? 0)
                draw(base, cr, x: x + (advance - base.width) / 2, y: mark.y + readingHeight)
                if let reading { draw(reading, cr, x: x + (advance - reading.width) / 2, y: mark.y) }
                x += advance
            }
        }
        return Result(height: readingHeight + baseHeight, problems: [])
    }

    private func draw(_ laid: Laid, _ cr: OpaquePointer, x: Double, y: Double) {
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout(cr, laid.layout)
    }

    /// The glyph ids and families of `text` laid out in `style` (tests assert on them).
    func glyphs(_ text: String, _ style: DocumentTemplate.Style) throws(RenderingError) -> [(family: String, glyph: UInt32)] {
        let (laid, _) = try lay(text, style, size: style.size)
        var result: [(family: String, glyph: UInt32)] = []
        let iterator = pango_layout_get_iter(laid.layout)
        defer { pango_layout_iter_free(iterator) }
        repeat {
            guard let run = pango_layout_iter_get_run_readonly(iterator), let item = run.pointee.item, let glyphs = run.pointee.glyphs
            else { continue }
            var family = ""
            if let font = item.pointee.analysis.font {
                let described = pango_font_describe(font)
                defer { pango_font_description_free(described) }
                family = pango_font_description_get_family(described).map { String(cString: $0) } ?? ""
            }
            for index in 0..<Int(glyphs.pointee.num_glyphs) {
                let glyph = glyphs.pointee.glyphs[index].glyph
                if glyph != PANGO_GLYPH_EMPTY { result.append((family, glyph)) }
            }
        } while pango_layout_iter_next_run(iterator) != 0
        return result
    }
}
