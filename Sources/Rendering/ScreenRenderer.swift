internal import CPangoCairo
public import Screens

/// Draws laid-out screens with the same Cairo/Pango code as paper: into an XRGB frame for
/// the framebuffer, or a PNG for the gallery and snapshot tests.
///
/// Not shared between threads (Cairo/Pango's rule).
public final class ScreenRenderer {
    private let coverage = FontCoverage()
    /// The surface frames are drawn on, kept between frames of one size: a new 8 MB surface
    /// per 1080p frame costs more in page faults than the drawing.
    private var surface: OpaquePointer?

    /// A renderer with its own font map.
    public init() {}

    deinit { if let surface { cairo_surface_destroy(surface) } }

    /// A drawn frame: 32-bit XRGB pixels, row-major, as a framebuffer takes them.
    public struct Frame: Sendable, Hashable {
        /// Pixels across and down (after rotation).
        public let width: Int, height: Int
        /// 0xXXRRGGBB per pixel (the X byte means nothing, as in an XRGB8888 framebuffer).
        public let pixels: [UInt32]

        /// The frame turned clockwise by `degrees` (0, 90, 180, 270), for a panel mounted
        /// other than its native way.
        public func rotated(_ degrees: Int) -> Frame {
            switch ((degrees % 360) + 360) % 360 {
            case 90:
                var out = [UInt32](repeating: 0, count: pixels.count)
                for y in 0..<height { for x in 0..<width { out[x * height + (height - 1 - y)] = pixels[y * width + x] } }
                return Frame(width: height, height: width, pixels: out)
            case 180:
                return Frame(width: width, height: height, pixels: pixels.reversed())
            case 270:
                var out = [UInt32](repeating: 0, count: pixels.count)
                for y in 0..<height { for x in 0..<width { out[(width - 1 - x) * height + y] = pixels[y * width + x] } }
                return Frame(width: height, height: width, pixels: out)
            default:
                return self
            }
        }

        /// Writes the frame as a PNG.
        public func writePNG(to path: String) throws(RenderingError) {
            let stride = width * 4
            var bytes = [UInt8](repeating: 0, count: stride * height)
            bytes.withUnsafeMutableBytes { buffer in
                for index in pixels.indices { buffer.storeBytes(of: pixels[index], toByteOffset: index * 4, as: UInt32.self) }
            }
            let status = bytes.withUnsafeMutableBufferPointer { buffer -> cairo_status_t in
                let surface = cairo_image_surface_create_for_data(buffer.baseAddress, CAIRO_FORMAT_RGB24, Int32(width), Int32(height), Int32(stride))
                defer { cairo_surface_destroy(surface) }
                return cairo_surface_write_to_png(surface, path)
            }
            guard status == CAIRO_STATUS_SUCCESS else {
                throw RenderingError(operation: "writing PNG", message: String(cString: cairo_status_to_string(status)))
            }
        }

        /// The frame as RGB565 (16-bit framebuffers).
        public var rgb565: [UInt16] {
            pixels.map { pixel in
                let r = (pixel >> 19) & 0x1F, g = (pixel >> 10) & 0x3F, b = (pixel >> 3) & 0x1F
                return UInt16(r << 11 | g << 5 | b)
            }
        }
    }

    /// Draws `screen` at the display's pixel size.
    public func frame(_ screen: LaidOutScreen) throws(RenderingError) -> Frame {
        var pixels: [UInt32] = []
        try draw(screen, into: &pixels)
        return Frame(width: screen.display.width, height: screen.display.height, pixels: pixels)
    }

    /// Draws `screen` and copies it into `pixels` (XRGB, row-major, X unspecified), reusing the buffer and
    /// the drawing surface from frame to frame: what a framebuffer loop calls.
    public func draw(_ screen: LaidOutScreen, into pixels: inout [UInt32]) throws(RenderingError) {
        let surface = try drawn(screen)
        let (width, height) = (screen.display.width, screen.display.height)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
        if pixels.count != width * height { pixels = [UInt32](repeating: 0, count: width * height) }
        pixels.withUnsafeMutableBytes { buffer in
            for y in 0..<height { (buffer.baseAddress! + y * width * 4).copyMemory(from: data + y * stride, byteCount: width * 4) }
        }
    }

    /// Draws `screen` and writes it as a PNG.
    public func writePNG(_ screen: LaidOutScreen, to path: String) throws(RenderingError) {
        let surface = try drawn(screen)
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "writing PNG", message: String(cString: cairo_status_to_string(status)))
        }
    }

    /// Draws `screen` and returns its grey levels (snapshot comparisons).
    public func image(_ screen: LaidOutScreen) throws(RenderingError) -> RasterImage {
        RasterImage(surface: try drawn(screen))
    }

    /// Draws on the kept surface (made anew when the size changes) and returns it.
    private func drawn(_ screen: LaidOutScreen) throws(RenderingError) -> OpaquePointer {
        let display = screen.display
        if let kept = surface, Int(cairo_image_surface_get_width(kept)) != display.width || Int(cairo_image_surface_get_height(kept)) != display.height {
            cairo_surface_destroy(kept)
            self.surface = nil
        }
        let surface = self.surface ?? cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(display.width), Int32(display.height))!
        self.surface = surface
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        set(cr, .paper)
        cairo_paint(cr)
        cairo_scale(cr, Double(display.width) / display.widthMM, Double(display.height) / display.heightMM)
        for panel in screen.panels {
            set(cr, panel.colour)
            cairo_rectangle(cr, panel.rect.x, panel.rect.y, panel.rect.width, panel.rect.height)
            cairo_fill(cr)
            if panel.outlined {
                set(cr, .ink)
                cairo_set_line_width(cr, 0.3)
                cairo_rectangle(cr, panel.rect.x, panel.rect.y, panel.rect.width, panel.rect.height)
                cairo_stroke(cr)
            }
        }
        let setter = TextSetter(coverage: coverage, cairo: cr)
        for text in screen.texts {
            set(cr, text.colour)
            _ = try setter.set(text.mark, on: cr)
        }
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderingError(operation: "drawing a screen", message: String(cString: cairo_status_to_string(status)))
        }
        cairo_surface_flush(surface)
        return surface
    }

    private func set(_ cr: OpaquePointer, _ colour: ScreenColour) {
        cairo_set_source_rgb(cr, colour.red, colour.green, colour.blue)
    }
}
