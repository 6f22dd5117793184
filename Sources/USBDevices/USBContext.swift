internal import CLibUSB

/// One libusb context, released when this object goes.
///
/// Threading rule (libusb): a context may be used from several threads, but a device
/// list belongs to the call that made it; this type frees it before returning.
public final class USBContext {
    private let context: OpaquePointer

    /// Initialises libusb (`libusb_init`; Debian 12's 1.0.26 has no `libusb_init_context`).
    public init() throws(USBError) {
        var context: OpaquePointer?
        let status = libusb_init(&context)
        guard status == 0, let context else { throw Self.error("libusb_init", status) }
        self.context = context
    }

    deinit {
        libusb_exit(context)
    }

    /// Whether this libusb can report devices arriving and leaving.
    public var supportsHotplug: Bool { libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 }

    /// The devices on every bus now; empty where the machine has no USB (e.g. a container).
    public func devices() throws(USBError) -> [USBDeviceID] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0 else { throw Self.error("libusb_get_device_list", Int32(count)) }
        defer { libusb_free_device_list(list, 1) }
        guard let list else { return [] }
        var found: [USBDeviceID] = []
        for index in 0..<count {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0 else { continue }
            found.append(
                USBDeviceID(
                    vendor: descriptor.idVendor, product: descriptor.idProduct,
                    bus: libusb_get_bus_number(device), address: libusb_get_device_address(device)))
        }
        return found
    }

    private static func error(_ operation: String, _ status: Int32) -> USBError {
        USBError(operation: operation, code: Int(status), name: String(cString: libusb_error_name(status)))
    }
}
