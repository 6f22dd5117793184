internal import CPangoCairo

/// What Pango did with a piece of text: how many characters had no glyph (tofu) and
/// which font families it really used. The first check against printing wrong characters.
public struct TextReport: Sendable, Hashable {
    /// `pango_layout_get_unknown_glyphs_count`: characters no font could draw.
    public var unknownGlyphs: Int
    /// The families Pango's font selection resolved the runs to.
    public var families: Set<String>
    /// The laid-out size in pixels (or points, for PDF).
    public var width: Double
    /// The laid-out height.
    public var height: Double
}

/// Lays out one line of text with a named font, onto a PNG or a PDF page.
///
/// Threading rule (Cairo/Pango): objects are not shared between threads; each call here
/// makes and frees its own surface, context and layout.
public enum TextProbe {
    /// Renders `text` centred on a `width`×`height` ARGB32 image and, when `pngPath` is
    /// given, writes it there.
    public static func renderImage(
        _ text: String, family: String, pixelSize: Double, width: Int = 1280, height: Int = 800,
        pngPath: String? = nil
    ) throws(RenderingError) -> TextReport {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        defer { cairo_surface_destroy(surface) }
        let report = try draw(text, family: family, size: pixelSize, on: surface, width: Double(width), height: Double(height))
        if let pngPath {
            let status = cairo_surface_write_to_png(surface, pngPath)
            guard status == CAIRO_STATUS_SUCCESS else {
                throw RenderingError(operation: "writing PNG", message: String(cString: cairo_status_to_string(status)))
            }
        }
        return report
    }

    /// Renders `text` centred on one A4 page (595.28×841.89 pt) of a PDF at `pdfPath`.
    public static func renderPDF(_ text: String, family: String, pointSize: Double, pdfPath: String) throws(RenderingError)
        -> TextReport
    {
        let (width, height) = (595.28, 841.89)
        let surface = cairo_pdf_surface_create(pdfPath, width, height)
        defer { cairo_surface_destroy(surface) }
        let report = try draw(text, family: family, size: pointSize, on: surface, width: width, height: height)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "writing PDF", message: String(cString: cairo_status_to_string(status)))
        }
        return report
    }

    private static func draw(
        _ text: String, family: String, size: Double, on surface: OpaquePointer?, width: Double, height: Double
    ) throws(RenderingError) -> TextReport {
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)

        let layout = pango_cairo_create_layout(cr)
        defer { madoguchi_pangocairo_unref(UnsafeMutableRawPointer(layout)) }
        let description = pango_font_description_new()
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, family)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_layout_set_text(layout, text, -1)

        var inkWidth: Int32 = 0
        var inkHeight: Int32 = 0
        pango_layout_get_size(layout, &inkWidth, &inkHeight)
        let w = Double(inkWidth) / Double(PANGO_SCALE)
        let h = Double(inkHeight) / Double(PANGO_SCALE)
        cairo_move_to(cr, (width - w) / 2, (height - h) / 2)
        pango_cairo_show_layout(cr, layout)

        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "drawing text", message: String(cString: cairo_status_to_string(status)))
        }
        return TextReport(
            unknownGlyphs: Int(pango_layout_get_unknown_glyphs_count(layout)),
            families: resolvedFamilies(layout), width: w, height: h)
    }

    /// The family of the font each run of the layout was shaped with.
    private static func resolvedFamilies(_ layout: OpaquePointer?) -> Set<String> {
        var families: Set<String> = []
        let iterator = pango_layout_get_iter(layout)
        defer { pango_layout_iter_free(iterator) }
        repeat {
            if let run = pango_layout_iter_get_run_readonly(iterator), let item = run.pointee.item,
                let font = item.pointee.analysis.font
            {
                let described = pango_font_describe(font)
                defer { pango_font_description_free(described) }
                if let family = pango_font_description_get_family(described) {
                    families.insert(String(cString: family))
                }
            }
        } while pango_layout_iter_next_run(iterator) != 0
        return families
    }
}
