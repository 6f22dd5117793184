public import MadoguchiConfig
import MadoguchiCore

/// A device on the USB bus as diagnostics needs it: its ids and where it sits.
public struct USBDeviceSighting: Sendable, Hashable {
    /// idVendor and idProduct.
    public var vendorId: UInt16, productId: UInt16
    /// The bus number and the address on it.
    public var bus: UInt8, address: UInt8

    /// Creates one.
    public init(vendorId: UInt16, productId: UInt16, bus: UInt8, address: UInt8) {
        self.vendorId = vendorId
        self.productId = productId
        self.bus = bus
        self.address = address
    }

    /// `vvvv:pppp`, as lsusb prints it.
    public var ids: String { Self.hex(vendorId) + ":" + Self.hex(productId) }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// The readers section's USB lines: each card reader on the bus that a profile names,
/// and whether pcscd lists it. A reader on USB that pcscd does not list lacks its driver,
/// is held by a kernel driver, or is kept from pcscd by permissions.
public enum USBReaderChecks {
    /// The lines for `devices` (nil when the bus could not be read, with libusb's reason).
    public static func checks(devices: [USBDeviceSighting]?, failure: String? = nil, profiles: [USBProfile], pcscReaders: [String])
        -> [DiagnosticCheck]
    {
        guard let devices else {
            return [
                .skipped(
                    "usb", ja: "USB 機器の一覧を読めません(\(failure ?? "libusb"))。", en: "Cannot list the USB devices (\(failure ?? "libusb")).")
            ]
        }
        guard !devices.isEmpty else {
            return [
                .skipped(
                    "usb", ja: "USB 機器が見えません(USB バスのない仮想マシンやコンテナーなど)。",
                    en: "No USB devices are visible (no USB bus here, e.g. a virtual machine or a container).")
            ]
        }
        var checks: [DiagnosticCheck] = []
        for device in devices {
            guard let profile = USBProfiles.match(vendor: device.vendorId, product: device.productId, in: profiles), profile.kind == "readers"
            else { continue }
            let id = "usb-" + USBDeviceSighting.hex(device.vendorId) + "-" + USBDeviceSighting.hex(device.productId)
            guard !checks.contains(where: { $0.id == id }) else { continue }
            let place = BilingualText(
                ja: "\(profile.name)(\(device.ids)、バス \(device.bus) アドレス \(device.address))",
                en: "\(profile.name) (\(device.ids), bus \(device.bus) address \(device.address))")
            let names = [profile.pcscName, profile.name].compactMap { $0 }
            if pcscReaders.contains(where: { reader in names.contains { reader.hasPrefix($0) } }) {
                checks.append(DiagnosticCheck(id, .ok, BilingualText(ja: place.ja + "は USB にあり、pcscd も認識しています。", en: place.en + " is on USB and pcscd lists it.")))
                continue
            }
            var next = BilingualText(
                ja: "ドライバー(dpkg -s libccid)と権限を確かめ、systemctl restart pcscd で pcscd を再起動し、リーダーを挿し直してください。",
                en: "Check the driver (dpkg -s libccid) and permissions, restart pcscd (systemctl restart pcscd), and plug the reader in again.")
            if let notes = profile.notes {
                next = BilingualText(ja: next.ja + "機器プロファイル \(profile.id) の注記: \(notes)", en: next.en + " The profile \(profile.id) notes: \(notes)")
            }
            checks.append(
                .warning(
                    id, BilingualText(ja: place.ja + "は USB にありますが、pcscd は認識していません。", en: place.en + " is on USB, but pcscd does not list it."),
                    next: next))
        }
        if checks.isEmpty {
            checks.append(
                .skipped(
                    "usb", ja: "USB 機器 \(devices.count) 台。既知のカードリーダーはありません。",
                    en: "\(devices.count) USB device(s), none a known card reader."))
        }
        return checks
    }
}
