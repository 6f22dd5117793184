import ArgumentParser
import CLISupport
import MadoguchiCore
import USBDevices

/// `madoguchi usb …` (the helper `madoguchi-usb`): devices on the USB buses.
@main
struct USBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi usb",
        abstract: "USB 機器 / USB devices.",
        version: MadoguchiVersion.string,
        subcommands: [List.self])

    /// `madoguchi usb list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "USB 機器を表示します / List USB devices.")

        func run() throws {
            let devices: [USBDeviceID]
            do {
                devices = try USBContext().devices()
            } catch {
                Output.error(error.description)
                throw ExitCode(69)  // EX_UNAVAILABLE
            }
            if devices.isEmpty {
                print(BilingualText(ja: "USB 機器が見つかりません。", en: "No USB devices found."))
            }
            for device in devices {
                print("bus \(device.bus) address \(device.address): \(device)")
            }
        }
    }
}
