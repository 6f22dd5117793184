internal import CQREncode

/// A QR code's modules, encoded by libqrencode (error correction level M, 8-bit mode).
public struct QRCode: Sendable, Hashable {
    /// Modules per side.
    public let size: Int
    /// Row-major, `true` = dark.
    public let modules: [Bool]

    /// Encodes `text` (e.g. a submission id).
    /// - Throws: `RenderingError` when libqrencode refuses (too long, or out of memory).
    public init(encoding text: String) throws(RenderingError) {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw RenderingError(operation: "encoding QR code", message: "libqrencode returned no code (text too long?)")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<(width * width)).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }
}
