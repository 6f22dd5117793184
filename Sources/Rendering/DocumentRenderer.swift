internal import CPangoCairo
public import Documents

/// Draws composed documents to PDF (the printer's input) and PNG (previews, snapshot tests,
/// and later the screen), with the same code, and measures text for the composer.
///
/// Not shared between threads (Cairo/Pango's rule): make one per thread or task.
public final class DocumentRenderer {
    private let coverage = FontCoverage()
    private let measureSurface: OpaquePointer
    private let measureContext: OpaquePointer
    private let measurer: TextSetter

    /// A renderer with its own font map.
    public init() {
        measureSurface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        measureContext = cairo_create(measureSurface)
        cairo_scale(measureContext, 72 / 25.4, 72 / 25.4)
        measurer = TextSetter(coverage: coverage, cairo: measureContext)
    }

    deinit {
        cairo_destroy(measureContext)
        cairo_surface_destroy(measureSurface)
    }

    /// What a drawing pass found: the fields staff must check.
    public struct Report: Sendable, Hashable {
        /// Pages drawn.
        public var pages: Int
        /// Flagged fields, in page and item order, one per field and reason.
        public var flags: [RenderFlag]
    }

    /// A measurer for `DocumentComposer`, with this renderer's fonts.
    public var measure: Measure { Measure(setter: measurer) }

    /// Measures text with the renderer's fonts (a font that is not installed measures as
    /// one line of its size; drawing then reports it).
    public struct Measure: TextMeasuring {
        let setter: TextSetter

        public mutating func height(of mark: TextMark) -> Double {
            (try? setter.set(mark, on: nil).height) ?? mark.style.size * 25.4 / 72 * 1.2
        }
    }

    /// Composes `template` from `input` with this renderer's measurements.
    public func compose(_ template: DocumentTemplate, _ input: DocumentInput) -> ComposedDocument {
        var composer = DocumentComposer(measure: measure)
        return composer.compose(template, input)
    }

    /// Writes every page of `document` to one PDF at `path`; its title (never personal
    /// data) goes into the PDF's metadata.
    @discardableResult
    public func writePDF(_ document: ComposedDocument, to path: String) throws(RenderingError) -> Report {
        let points = 72 / 25.4
        let surface = cairo_pdf_surface_create(path, document.page.width * points, document.page.height * points)
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Madoguchi")
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_scale(cr, points, points)
        let setter = TextSetter(coverage: coverage, cairo: cr)
        var flags: [RenderFlag] = []
        for (index, page) in document.pages.enumerated() {
            flags += try draw(page, number: index + 1, on: cr, setter: setter)
            cairo_show_page(cr)
        }
        try Self.check(cr, "drawing PDF")
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "writing PDF", message: String(cString: cairo_status_to_string(status)))
        }
        return Report(pages: document.pages.count, flags: flags)
    }

    /// Writes page `index` (from 0) of `document` as a PNG at `dpi` dots per inch.
    @discardableResult
    public func writePNG(_ document: ComposedDocument, page index: Int, dpi: Double, to path: String) throws(RenderingError) -> Report {
        let image = try drawImage(document, page: index, dpi: dpi)
        defer { cairo_surface_destroy(image.surface) }
        let status = cairo_surface_write_to_png(image.surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "writing PNG", message: String(cString: cairo_status_to_string(status)))
        }
        return image.report
    }

    /// Draws page `index` of `document` into an RGB image (white paper) at `dpi`.
    public func image(_ document: ComposedDocument, page index: Int, dpi: Double) throws(RenderingError) -> (image: RasterImage, report: Report) {
        let drawn = try drawImage(document, page: index, dpi: dpi)
        defer { cairo_surface_destroy(drawn.surface) }
        return (RasterImage(surface: drawn.surface), drawn.report)
    }

    private func drawImage(_ document: ComposedDocument, page index: Int, dpi: Double) throws(RenderingError)
        -> (surface: OpaquePointer, report: Report)
    {
        guard document.pages.indices.contains(index) else {
            throw RenderingError(operation: "drawing page \(index + 1)", message: "the document has \(document.pages.count) page(s)")
        }
        let scale = dpi / 25.4
        let surface = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, Int32((document.page.width * scale).rounded()), Int32((document.page.height * scale).rounded()))!
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        let setter = TextSetter(coverage: coverage, cairo: cr)
        let flags: [RenderFlag]
        do throws(RenderingError) {
            flags = try draw(document.pages[index], number: index + 1, on: cr, setter: setter)
            try Self.check(cr, "drawing PNG")
        } catch {
            cairo_surface_destroy(surface)
            throw error
        }
        cairo_surface_flush(surface)
        return (surface, Report(pages: 1, flags: flags))
    }

    /// The glyphs HarfBuzz shaped for `text` in `family` with this renderer's font choice
    /// per character: (family, glyph id) for each glyph drawn.
    public func glyphs(_ text: String, family: String, size: Double = 12) throws(RenderingError) -> [(family: String, glyph: UInt32)] {
        try measurer.glyphs(text, DocumentTemplate.Style(family: family, size: size, bold: false))
    }

    /// The glyph id `family` has for `scalar` (with a variation selector), or nil: the
    /// coverage the renderer decides by.
    public func glyph(family: String, _ scalar: Unicode.Scalar, selector: Unicode.Scalar? = nil) -> UInt32? {
        coverage.face(family).flatMap { coverage.glyph($0, scalar, selector: selector) }
    }

    private func draw(_ page: ComposedPage, number: Int, on cr: OpaquePointer, setter: TextSetter) throws(RenderingError) -> [RenderFlag] {
        var flags: [RenderFlag] = []
        cairo_set_source_rgb(cr, 0, 0, 0)
        for mark in page.marks {
            switch mark {
            case .text(let text):
                let result = try setter.set(text, on: cr)
                if let field = text.field {
                    for reason in RenderFlag.Reason.allCases where result.problems.contains(reason) {
                        flags.append(RenderFlag(field: field, page: number, reason: reason))
                    }
                }
            case .rectangle(let rect, let lineWidth):
                cairo_set_line_width(cr, lineWidth)
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_stroke(cr)
            case .line(let x1, let y1, let x2, let y2, let lineWidth):
                cairo_set_line_width(cr, lineWidth)
                cairo_move_to(cr, x1, y1)
                cairo_line_to(cr, x2, y2)
                cairo_stroke(cr)
            case .mark(let shape, let rect):
                Self.drawMark(shape, rect, cr)
            case .qr(let payload, let rect):
                let code = try QRCode(encoding: payload)
                // A quiet zone of four modules inside the square, as readers need.
                let module = rect.width / Double(code.size + 8)
                for y in 0..<code.size {
                    for x in 0..<code.size where code.isDark(x: x, y: y) {
                        cairo_rectangle(cr, rect.x + Double(x + 4) * module, rect.y + Double(y + 4) * module, module, module)
                    }
                }
                cairo_fill(cr)
            case .image(let path, let rect):
                let image = cairo_image_surface_create_from_png(path)
                defer { cairo_surface_destroy(image) }
                let status = cairo_surface_status(image)
                guard status == CAIRO_STATUS_SUCCESS else {
                    throw RenderingError(operation: "reading image \(path)", message: String(cString: cairo_status_to_string(status)))
                }
                cairo_save(cr)
                cairo_translate(cr, rect.x, rect.y)
                cairo_scale(
                    cr, rect.width / Double(cairo_image_surface_get_width(image)), rect.height / Double(cairo_image_surface_get_height(image)))
                cairo_set_source_surface(cr, image, 0, 0)
                cairo_paint(cr)
                cairo_restore(cr)
                cairo_set_source_rgb(cr, 0, 0, 0)
            }
        }
        return flags
    }

    private static func drawMark(_ shape: DocumentTemplate.MarkShape, _ rect: PageRect, _ cr: OpaquePointer) {
        // Text leaves a current point behind; a mark must not join it with a line.
        cairo_new_path(cr)
        cairo_set_line_width(cr, max(0.3, min(rect.width, rect.height) * 0.08))
        switch shape {
        case .check:
            cairo_move_to(cr, rect.x + rect.width * 0.15, rect.y + rect.height * 0.55)
            cairo_line_to(cr, rect.x + rect.width * 0.4, rect.y + rect.height * 0.85)
            cairo_line_to(cr, rect.x + rect.width * 0.9, rect.y + rect.height * 0.15)
        case .cross:
            cairo_move_to(cr, rect.x + rect.width * 0.15, rect.y + rect.height * 0.15)
            cairo_line_to(cr, rect.x + rect.width * 0.85, rect.y + rect.height * 0.85)
            cairo_move_to(cr, rect.x + rect.width * 0.85, rect.y + rect.height * 0.15)
            cairo_line_to(cr, rect.x + rect.width * 0.15, rect.y + rect.height * 0.85)
        case .circle:
            cairo_save(cr)
            cairo_translate(cr, rect.x + rect.width / 2, rect.y + rect.height / 2)
            cairo_scale(cr, rect.width / 2, rect.height / 2)
            cairo_arc(cr, 0, 0, 1, 0, 2 * Double.pi)
            cairo_restore(cr)
        }
        cairo_stroke(cr)
    }

    private static func check(_ cr: OpaquePointer, _ operation: String) throws(RenderingError) {
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: operation, message: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// Pixels of a drawn page (or a PNG read back): 8-bit grey levels, row-major, for
/// comparing snapshots without another image library.
public struct RasterImage: Sendable, Hashable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Luminance 0 (black) … 255 (white), row-major.
    public let grey: [UInt8]

    init(surface: OpaquePointer) {
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
        let (width, height) = (self.width, self.height)
        grey = [UInt8](unsafeUninitializedCapacity: width * height) { buffer, count in
            for y in 0..<height {
                let row = data + y * stride
                for x in 0..<width {
                    let pixel = row.loadUnaligned(fromByteOffset: x * 4, as: UInt32.self)
                    let r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF
                    buffer[y * width + x] = UInt8((r * 299 + g * 587 + b * 114) / 1000)
                }
            }
            count = width * height
        }
    }

    /// Reads a PNG file.
    public init(png path: String) throws(RenderingError) {
        let surface = cairo_image_surface_create_from_png(path)
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "reading PNG \(path)", message: String(cString: cairo_status_to_string(status)))
        }
        self.init(surface: surface!)
    }

    /// How many pixels' grey levels differ by more than `threshold`, or nil when the sizes
    /// differ.
    public func differingPixels(from other: RasterImage, threshold: UInt8 = 64) -> Int? {
        guard width == other.width, height == other.height else { return nil }
        return grey.withUnsafeBufferPointer { mine in
            other.grey.withUnsafeBufferPointer { theirs in
                var differing = 0
                for index in 0..<mine.count where abs(Int(mine[index]) - Int(theirs[index])) > Int(threshold) { differing += 1 }
                return differing
            }
        }
    }

    /// Whether any pixel of the rectangle (in pixels) is darker than `level`.
    public func hasInk(x: Int, y: Int, width: Int, height: Int, darkerThan level: UInt8 = 128) -> Bool {
        for row in max(0, y)..<min(self.height, y + height) {
            for column in max(0, x)..<min(self.width, x + width) where grey[row * self.width + column] < level { return true }
        }
        return false
    }
}
