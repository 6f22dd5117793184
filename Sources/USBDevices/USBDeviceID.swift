/// A USB device as the bus reports it: enough to match it against `Devices/` profiles.
public struct USBDeviceID: Sendable, Hashable, CustomStringConvertible {
    /// idVendor.
    public var vendor: UInt16
    /// idProduct.
    public var product: UInt16
    /// The bus number.
    public var bus: UInt8
    /// The address on that bus.
    public var address: UInt8

    /// Creates a device description.
    public init(vendor: UInt16, product: UInt16, bus: UInt8, address: UInt8) {
        self.vendor = vendor
        self.product = product
        self.bus = bus
        self.address = address
    }

    /// `vvvv:pppp` in lower-case hex, as lsusb prints it.
    public var description: String {
        func hex(_ value: UInt16) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }
        return "\(hex(vendor)):\(hex(product))"
    }
}
