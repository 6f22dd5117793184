internal import CLinuxFB
import Glibc

/// Where drawn frames go: the framebuffer on a kiosk, PNG files in development and tests.
public protocol FrameTarget {
    /// Shows one frame.
    mutating func present(_ frame: ScreenRenderer.Frame) throws(RenderingError)
}

/// A Linux framebuffer (`/dev/fbN`): the mode is read with the fbdev ioctls, frames are
/// turned for the panel's mounting and written as XRGB8888 or RGB565, line by line at the
/// device's stride.
public struct Framebuffer: FrameTarget {
    /// How pixels are laid out in the device's memory.
    public struct Mode: Sendable, Hashable {
        /// Visible pixels across and down.
        public var width: Int, height: Int
        /// 32 (XRGB8888) or 16 (RGB565).
        public var bitsPerPixel: Int
        /// Bytes from one line to the next.
        public var stride: Int

        /// A mode.
        public init(width: Int, height: Int, bitsPerPixel: Int, stride: Int) {
            self.width = width
            self.height = height
            self.bitsPerPixel = bitsPerPixel
            self.stride = stride
        }
    }

    /// The device (or file) path.
    public let path: String
    /// Its mode.
    public let mode: Mode
    /// Clockwise turn applied to each frame (the display profile's `rotation`).
    public let rotation: Int
    private let descriptor: Int32

    /// Opens `path` and reads its mode with FBIOGET_VSCREENINFO / FBIOGET_FSCREENINFO.
    public init(device path: String, rotation: Int = 0) throws(RenderingError) {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RenderingError(operation: "opening framebuffer \(path)", message: String(cString: strerror(errno)) + " (is the kiosk user in the video group?)")
        }
        var variable = fb_var_screeninfo()
        var fixed = fb_fix_screeninfo()
        guard madoguchi_fb_get_variable(descriptor, &variable) == 0, madoguchi_fb_get_fixed(descriptor, &fixed) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw RenderingError(operation: "reading the mode of \(path)", message: reason + " (not a framebuffer device?)")
        }
        let mode = Mode(width: Int(variable.xres), height: Int(variable.yres), bitsPerPixel: Int(variable.bits_per_pixel), stride: Int(fixed.line_length))
        try self.init(descriptor: descriptor, path: path, mode: mode, rotation: rotation)
    }

    /// Writes to a file (or device) whose mode is given: tests, and devices that lie.
    public init(file path: String, mode: Mode, rotation: Int = 0) throws(RenderingError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RenderingError(operation: "opening \(path)", message: String(cString: strerror(errno)))
        }
        try self.init(descriptor: descriptor, path: path, mode: mode, rotation: rotation)
    }

    private init(descriptor: Int32, path: String, mode: Mode, rotation: Int) throws(RenderingError) {
        guard mode.bitsPerPixel == 32 || mode.bitsPerPixel == 16 else {
            Glibc.close(descriptor)
            throw RenderingError(operation: "using \(path)", message: "\(mode.bitsPerPixel) bits per pixel; only XRGB8888 (32) and RGB565 (16) are drawn")
        }
        self.descriptor = descriptor
        self.path = path
        self.mode = mode
        self.rotation = rotation
    }

    /// Closes the device.
    public func close() { Glibc.close(descriptor) }

    /// Writes `frame`, turned, into the device's lines; a frame of another size is refused.
    public mutating func present(_ frame: ScreenRenderer.Frame) throws(RenderingError) {
        let turned = frame.rotated(rotation)
        guard turned.width == mode.width, turned.height == mode.height else {
            throw RenderingError(
                operation: "showing a frame on \(path)",
                message: "the frame is \(turned.width)×\(turned.height), the framebuffer \(mode.width)×\(mode.height); check the display profile")
        }
        let bytesPerPixel = mode.bitsPerPixel / 8
        var line = [UInt8](repeating: 0, count: mode.stride)
        let rgb565 = mode.bitsPerPixel == 16 ? turned.rgb565 : []
        for y in 0..<mode.height {
            line.withUnsafeMutableBytes { bytes in
                for x in 0..<mode.width {
                    if bytesPerPixel == 4 {
                        bytes.storeBytes(of: turned.pixels[y * mode.width + x].littleEndian, toByteOffset: x * 4, as: UInt32.self)
                    } else {
                        bytes.storeBytes(of: rgb565[y * mode.width + x].littleEndian, toByteOffset: x * 2, as: UInt16.self)
                    }
                }
            }
            let written = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, mode.stride, off_t(y * mode.stride)) }
            guard written == mode.stride else {
                throw RenderingError(operation: "writing to \(path)", message: String(cString: strerror(errno)))
            }
        }
    }
}

/// Frames as numbered PNG files (`frame-0001.png`…): development and tests.
public struct PNGFrameTarget: FrameTarget {
    /// The folder.
    public let directory: String
    /// Frames written so far.
    public private(set) var count = 0

    /// Frames go to `directory` (which must exist).
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes the next frame.
    public mutating func present(_ frame: ScreenRenderer.Frame) throws(RenderingError) {
        count += 1
        let name = String(count).count >= 4 ? String(count) : String(repeating: "0", count: 4 - String(count).count) + String(count)
        try frame.writePNG(to: "\(directory)/frame-\(name).png")
    }
}
