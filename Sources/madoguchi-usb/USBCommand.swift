import ArgumentParser
import CLISupport
import MadoguchiConfig
import MadoguchiCore
import USBDevices

/// `madoguchi usb …` (the helper `madoguchi-usb`): devices on the USB buses, named by the
/// device profiles (`Devices/`) that list their ids.
@main
struct USBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi usb",
        abstract: "USB 機器 / USB devices.",
        version: MadoguchiVersion.string,
        subcommands: [List.self, Watch.self])

    /// Where the device profiles are.
    struct Profiles: ParsableArguments {
        @Option(help: "機器プロファイルのディレクトリ / The device profiles' folder ([kiosk] devicesDirectory).")
        var devices = KioskSettings.installedDevicesDirectory

        /// The profiles' USB ids; empty (ids only) when the folder is missing.
        func load() -> [USBProfile] {
            guard let profiles = USBProfiles.load(devicesDirectory: devices) else {
                Output.error(
                    BilingualText(
                        ja: "機器プロファイルのディレクトリ \(devices) がないため、機種名を表示しません(--devices で指定)。",
                        en: "No device profiles at \(devices): models are not named (name the folder with --devices)."
                    ).description)
                return []
            }
            return profiles
        }
    }

    /// One device: where it sits, its ids, and the profile naming it.
    static func describe(_ device: USBDeviceID, _ profiles: [USBProfile]) -> String {
        let place = "bus \(device.bus) address \(device.address): \(device)"
        guard let profile = USBProfiles.match(vendor: device.vendor, product: device.product, in: profiles) else { return place }
        return "\(place) \(profile.kind)/\(profile.id) (\(profile.name))"
    }

    /// `madoguchi usb list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "USB 機器を表示します / List USB devices, with their profiles.")

        @OptionGroup var profiles: Profiles

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
            let known = profiles.load()
            for device in devices { print(USBCommand.describe(device, known)) }
        }
    }

    /// `madoguchi usb watch`
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "USB 機器の抜き差しを表示します / Show USB devices as they are plugged in and out.",
            discussion: "最初に今ある機器を表示します。Ctrl+C で終了 / The devices already there come first. Stop with Ctrl+C.")

        @OptionGroup var profiles: Profiles

        @Option(help: "この秒数で終了 / Stop after this many seconds.")
        var seconds: Double?

        func validate() throws {
            if let seconds, !(seconds > 0) {
                throw ValidationError("--seconds には正の秒数を / --seconds must be a positive number of seconds, e.g. --seconds 10.")
            }
        }

        func run() async throws {
            let events: AsyncStream<USBEvent>
            do {
                events = try USBWatcher.events()
            } catch {
                Output.error(
                    BilingualText(ja: "USB の抜き差しを監視できません: \(error)", en: "Cannot watch USB devices: \(error)").description)
                throw ExitCode(69)
            }
            let known = profiles.load()
            Output.line(BilingualText(ja: "USB 機器を監視しています…", en: "Watching USB devices…"))
            let limit = seconds
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    let start = ContinuousClock.now
                    for await event in events {
                        let stamp = "[\(Output.seconds(ContinuousClock.now - start))]"
                        switch event {
                        case .arrived(let device): Output.line(stamp, "+", USBCommand.describe(device, known))
                        case .left(let device): Output.line(stamp, "-", USBCommand.describe(device, known))
                        }
                    }
                }
                if let limit {
                    group.addTask { try? await Task.sleep(for: .seconds(limit)) }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
