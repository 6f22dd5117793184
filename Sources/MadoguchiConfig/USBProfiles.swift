public import Contracts
import Foundation

/// One USB id a device profile names (`[[usb]] vendorId`, `productId` in `Devices/readers`,
/// `printers` or `displays`), with the profile it comes from: what is needed to say which
/// model a device on the bus is.
public struct USBProfile: Sendable, Hashable {
    /// The profile's folder: `readers`, `printers` or `displays`.
    public var kind: String
    /// The profile's file name without `.toml`.
    public var id: String
    /// `vendor` and `model` from the profile, joined ("Sony PaSoRi RC-S300/P").
    public var name: String
    /// The reader name pcscd gives it (readers only), without the slot suffix.
    public var pcscName: String?
    /// The profile's `notes`, for a next step (e.g. a kernel driver that holds the device).
    public var notes: String?
    /// idVendor and idProduct.
    public var vendorId: UInt16, productId: UInt16

    /// Creates one.
    public init(kind: String, id: String, name: String, pcscName: String? = nil, notes: String? = nil, vendorId: UInt16, productId: UInt16) {
        self.kind = kind
        self.id = id
        self.name = name
        self.pcscName = pcscName
        self.notes = notes
        self.vendorId = vendorId
        self.productId = productId
    }
}

/// The USB ids of every device profile, for matching devices on the bus to models.
public enum USBProfiles {
    /// The folders of `Devices/` that hold profiles with `[[usb]]` tables.
    public static let kinds = ["readers", "printers", "displays"]

    /// Every USB id of the profiles under `devicesDirectory`; a file that cannot be read
    /// or an id that is not 4 hex digits is left out (scripts/check-contracts checks the
    /// files against their schemas). Nil when the folder itself is missing.
    public static func load(devicesDirectory: String) -> [USBProfile]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: devicesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return kinds.flatMap { kind in
            (DeviceProfileFiles.documents(in: devicesDirectory + "/" + kind) ?? []).flatMap { profiles(in: $0.document, kind: kind, id: $0.id) }
        }
    }

    /// The USB ids one profile document names: `[[usb]]`, and a display's `[[touch.usb]]`.
    public static func profiles(in document: DataNode, kind: String, id: String) -> [USBProfile] {
        let text = DeviceProfileFiles.text
        // `[[usb]]`, or a display's touch controller: `[[touch.usb]]`.
        var entries: [DataNode] = []
        for node in [document["usb"], document["touch"]?["usb"]] {
            if case .array(let items)? = node?.value { entries += items }
        }
        let name = [text(document["vendor"]), text(document["model"])].compactMap { $0 }.joined(separator: " ")
        return entries.compactMap { entry in
            guard let vendor = hexID(text(entry["vendorId"])), let product = hexID(text(entry["productId"])) else { return nil }
            return USBProfile(
                kind: kind, id: id, name: name.isEmpty ? id : name, pcscName: text(document["pcscName"]), notes: text(document["notes"]),
                vendorId: vendor, productId: product)
        }
    }

    /// The profile of a device with these ids, nil when none names them.
    public static func match(vendor: UInt16, product: UInt16, in profiles: [USBProfile]) -> USBProfile? {
        profiles.first { $0.vendorId == vendor && $0.productId == product }
    }

    /// `"054c"` → 0x054C: exactly four hex digits, as lsusb prints them.
    public static func hexID(_ text: String?) -> UInt16? {
        guard let text, text.utf8.count == 4,
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return UInt16(text, radix: 16)
    }
}

/// The profile files of one `Devices/` folder (`readers`, `printers`, `displays`), read
/// leniently for what diagnostics and `madoguchi usb` show: their schemas are checked by
/// scripts/check-contracts, so a file that does not read is left out here.
public enum DeviceProfileFiles {
    /// Every `*.toml` in `folder` that reads, by file name without `.toml`, in name order;
    /// nil when the folder cannot be listed.
    public static func documents(in folder: String) -> [(id: String, document: DataNode)]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return names.filter { $0.hasSuffix(".toml") }.sorted().compactMap { name in
            guard let document = try? DataLoader.load(contentsOf: folder + "/" + name) else { return nil }
            return (String(name.dropLast(5)), document)
        }
    }

    /// A string value, nil when absent or of another type.
    public static func text(_ node: DataNode?) -> String? {
        if case .string(let value)? = node?.value { value } else { nil }
    }
}
