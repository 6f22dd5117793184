import Contracts
import Foundation
import MadoguchiConfig
import Testing

/// The shipped device profiles against the facts they claim: every CCID reader's USB ids and
/// name are in the supported-readers list the installed libccid ships, and every profile the
/// sample configuration names exists.
@Suite struct DeviceProfileTests {
    static let root = ServicesEnvironment.packageRoot.path

    /// libccid's list: (vendor id, product id) → the name pcscd shows, ids as lsusb prints them.
    static func libccidReaders() throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist"))
        let plist = try #require(try PropertyListSerialization.propertyList(from: data, format: nil) as? [String: Any])
        let vendors = try #require(plist["ifdVendorID"] as? [String])
        let products = try #require(plist["ifdProductID"] as? [String])
        let names = try #require(plist["ifdFriendlyName"] as? [String])
        var readers: [String: String] = [:]
        for index in vendors.indices where index < products.count && index < names.count {
            let id = vendors[index].lowercased().replacingOccurrences(of: "0x", with: "") + ":" + products[index].lowercased().replacingOccurrences(of: "0x", with: "")
            readers[id] = names[index]
        }
        return readers
    }

    static func profiles(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/Devices/" + folder)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
    }

    @Test func thereAreEightReadersThreePrintersAndTwoDisplays() {
        #expect(Self.profiles("readers").filter { $0 != "virtual-test-reader.toml" }.count >= 8)
        #expect(Self.profiles("printers").count >= 3)
        #expect(Self.profiles("displays").count >= 2)
    }

    @Test(arguments: profiles("readers"))
    func everyCCIDReaderIsInLibccidsListUnderTheNameItGives(_ file: String) throws {
        let node = try DataLoader.load(contentsOf: Self.root + "/Devices/readers/" + file)
        guard node["driver"]?.value == .string("libccid") else { return }
        let known = try Self.libccidReaders()
        guard case .string(let name)? = node["pcscName"]?.value, case .array(let ids)? = node["usb"]?.value else {
            Issue.record("\(file): a libccid reader needs pcscName and [[usb]]")
            return
        }
        #expect(!ids.isEmpty)
        for id in ids {
            guard case .string(let vendor)? = id["vendorId"]?.value, case .string(let product)? = id["productId"]?.value else {
                Issue.record("\(file): a [[usb]] table without vendorId and productId")
                continue
            }
            let listed = known["\(vendor):\(product)"]
            #expect(listed != nil, "\(file): \(vendor):\(product) is not in libccid's supported list")
            #expect(listed == nil || listed == name, "\(file): libccid names \(vendor):\(product) \(listed ?? ""), the profile says \(name)")
        }
    }

    @Test func everyProfileTheSampleConfigurationNamesExists() throws {
        var configuration = try KioskConfiguration.load(path: Self.root + "/docs/contracts/madoguchi.sample.toml").get()
        configuration.kiosk.devicesDirectory = Self.root + "/Devices"
        let problems = configuration.checkFiles(environment: [:]).filter { $0.instancePath.hasSuffix("/profile") || $0.instancePath.hasSuffix("devicesDirectory") }
        #expect(problems.isEmpty, "\(problems.map(\.description))")
    }
}
