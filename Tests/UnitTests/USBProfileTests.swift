import Contracts
import Diagnostics
import Foundation
import MadoguchiConfig
import Testing

/// USB ids from the device profiles, and the readers section's verdict on a reader that is
/// on the bus: listed by pcscd, or not (a driver, a kernel driver, permissions).
@Suite("USB ids of device profiles")
struct USBProfileTests {
    static let devices = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Devices").path

    static let rcs300 = USBProfile(
        kind: "readers", id: "sony-rc-s300-p", name: "Sony PaSoRi RC-S300/P", pcscName: "SONY FeliCa RC-S300/P",
        notes: "Place the card flat.", vendorId: 0x054C, productId: 0x0DC9)
    static let printer = USBProfile(kind: "printers", id: "epson-tm-t88vi", name: "Epson TM-T88VI", vendorId: 0x04B8, productId: 0x0202)

    @Test(arguments: [("054c", UInt16(0x054C)), ("0DC9", 0x0DC9), ("ffff", 0xFFFF), ("0000", 0)])
    func fourHexDigitsAreAnID(_ text: String, _ value: UInt16) {
        #expect(USBProfiles.hexID(text) == value)
    }

    @Test(arguments: ["54c", "054c0", "+54c", "-001", "05４c", "zzzz", "0x4c", " 54c", ""])
    func anythingElseIsNotAnID(_ text: String) {
        #expect(USBProfiles.hexID(text) == nil)
    }

    @Test func aProfileGivesEachOfItsIDsWithItsNameAndPCSCName() throws {
        let document = try DataLoader.load(
            """
            vendor = "ACS"
            model = "ACR39U"
            pcscName = "ACS ACR39U ICC Reader"
            [[usb]]
            vendorId = "072f"
            productId = "b100"
            [[usb]]
            vendorId = "072f"
            productId = "bogus"
            [[usb]]
            vendorId = "072f"
            productId = "b101"
            """, file: "acs-acr39u.toml")
        let profiles = USBProfiles.profiles(in: document, kind: "readers", id: "acs-acr39u")
        #expect(profiles.map(\.productId) == [0xB100, 0xB101])
        #expect(profiles.allSatisfy { $0.name == "ACS ACR39U" && $0.pcscName == "ACS ACR39U ICC Reader" && $0.vendorId == 0x072F })
        #expect(USBProfiles.profiles(in: try DataLoader.load("model = \"x\"\n", file: "x.toml"), kind: "readers", id: "x").isEmpty)
    }

    @Test func theShippedProfilesNameTheirReadersPrintersAndDisplaysByUSBID() throws {
        let profiles = try #require(USBProfiles.load(devicesDirectory: Self.devices))
        #expect(Set(profiles.map(\.kind)) == ["readers", "printers", "displays"])
        #expect(USBProfiles.match(vendor: 0x054C, product: 0x0DC9, in: profiles)?.id == "sony-rc-s300-p")
        #expect(USBProfiles.match(vendor: 0x04B8, product: 0x0202, in: profiles)?.kind == "printers")
        #expect(USBProfiles.match(vendor: 0x0EEF, product: 0x0001, in: profiles)?.id == "generic-fhd-24-touch", "a display's touch controller")
        #expect(USBProfiles.match(vendor: 0x1234, product: 0x5678, in: profiles) == nil)
        #expect(USBProfiles.load(devicesDirectory: "/nonexistent/devices") == nil)
    }

    @Test func aReaderOnUSBThatPCSCDListsIsOk() {
        let checks = USBReaderChecks.checks(
            devices: [USBDeviceSighting(vendorId: 0x054C, productId: 0x0DC9, bus: 1, address: 4)], profiles: [Self.rcs300],
            pcscReaders: ["SONY FeliCa RC-S300/P 00 00"])
        #expect(checks.map(\.id) == ["usb-054c-0dc9"])
        #expect(checks.first?.mark == .ok)
        #expect(checks.first?.text.en == "Sony PaSoRi RC-S300/P (054c:0dc9, bus 1 address 4) is on USB and pcscd lists it.")
    }

    @Test func aReaderOnUSBThatPCSCDDoesNotListWarnsWithTheDriverAndTheProfileNotes() {
        let checks = USBReaderChecks.checks(
            devices: [
                USBDeviceSighting(vendorId: 0x04B8, productId: 0x0202, bus: 1, address: 2),
                USBDeviceSighting(vendorId: 0x054C, productId: 0x0DC9, bus: 1, address: 4),
            ], profiles: [Self.rcs300, Self.printer], pcscReaders: ["Madoguchi Test Reader 00 00"])
        #expect(checks.map(\.id) == ["usb-054c-0dc9"], "a printer is not a reader")
        #expect(checks.first?.mark == .warning)
        #expect(checks.first?.text.en.contains("is on USB, but pcscd does not list it") == true)
        let next = checks.first?.next?.en ?? ""
        #expect(next.contains("dpkg -s libccid") && next.contains("systemctl restart pcscd") && next.contains("Place the card flat."))
    }

    @Test func noBusNoDevicesOrNoReaderAreSkippedWithWhy() {
        let unreadable = USBReaderChecks.checks(devices: nil, failure: "libusb_init failed: LIBUSB_ERROR_OTHER (-99)", profiles: [], pcscReaders: [])
        #expect(unreadable.map(\.mark) == [.skipped] && unreadable.first?.text.en.contains("LIBUSB_ERROR_OTHER") == true)
        let none = USBReaderChecks.checks(devices: [], profiles: [Self.rcs300], pcscReaders: [])
        #expect(none.map(\.id) == ["usb"] && none.first?.text.en.contains("No USB devices are visible") == true)
        let others = USBReaderChecks.checks(
            devices: [USBDeviceSighting(vendorId: 0x1D6B, productId: 0x0002, bus: 1, address: 1)], profiles: [Self.rcs300], pcscReaders: [])
        #expect(others.map(\.mark) == [.skipped] && others.first?.text.en == "1 USB device(s), none a known card reader.")
    }

    @Test func twoReadersOfOneModelGiveOneLine() {
        let checks = USBReaderChecks.checks(
            devices: [
                USBDeviceSighting(vendorId: 0x054C, productId: 0x0DC9, bus: 1, address: 4),
                USBDeviceSighting(vendorId: 0x054C, productId: 0x0DC9, bus: 2, address: 3),
            ], profiles: [Self.rcs300], pcscReaders: [])
        #expect(checks.count == 1)
    }
}
