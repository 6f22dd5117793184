/// A failed libusb call with its raw `libusb_error` code and libusb's name for it.
public struct USBError: Error, Sendable, CustomStringConvertible {
    /// The libusb function that failed.
    public let operation: String
    /// The raw (negative) `libusb_error`.
    public let code: Int
    /// libusb's name for the code, e.g. `LIBUSB_ERROR_ACCESS`.
    public let name: String

    /// Creates an error.
    public init(operation: String, code: Int, name: String) {
        self.operation = operation
        self.code = code
        self.name = name
    }

    /// One line for logs and terminals.
    public var description: String { "\(operation) failed: \(name) (\(code))" }
}
