import Contracts
import Diagnostics
import Foundation
import MadoguchiConfig
import MadoguchiCore

/// The `display` section: the framebuffer device and its mode against the display profile,
/// the touch and keyboard devices' presence, and the per-unit touch calibration file. It
/// opens no device (sysfs and the file system only): the daemon may be drawing.
enum DisplayChecks {
    static let title = BilingualText(ja: "画面と入力", en: "Display and input")

    static func section(_ configuration: KioskConfiguration) -> DiagnosticSection {
        var checks = [framebuffer(configuration)]
        checks.append(input("touch", configuration.input.touch, name: ("タッチパネル", "touch screen")))
        checks.append(input("keyboard", configuration.input.keyboard, name: ("キーボード", "keyboard or keypad")))
        checks.append(calibration(configuration))
        return DiagnosticSection(id: "display", title: title, checks: checks)
    }

    static func framebuffer(_ configuration: KioskConfiguration) -> DiagnosticCheck {
        let display = configuration.display
        guard display.renderer == .framebuffer else {
            return .skipped("framebuffer", ja: "端末の文字画面で表示します(フレームバッファーなし)。", en: "Drawn as text in a terminal (no framebuffer).")
        }
        let device = display.device
        guard FileManager.default.fileExists(atPath: device) else {
            return .failure(
                "framebuffer", BilingualText(ja: "フレームバッファー \(device) がありません。", en: "The framebuffer \(device) does not exist."),
                next: BilingualText(
                    ja: "画面のケーブルと電源を確かめ、ls /dev/fb* と dmesg でドライバーを確かめてください([display] device も確認)。",
                    en: "Check the display's cable and power; check the driver with ls /dev/fb* and dmesg (and [display] device)."))
        }
        let name = (device as NSString).lastPathComponent
        guard let mode = mode(of: name) else {
            return .ok("framebuffer", ja: "フレームバッファー \(device) があります。", en: "The framebuffer \(device) is there.")
        }
        let text = BilingualText(
            ja: "フレームバッファー \(device)(\(mode.width)×\(mode.height))。", en: "The framebuffer \(device) (\(mode.width)×\(mode.height)).")
        guard let profileName = display.profile,
            let document = try? DataLoader.load(contentsOf: configuration.kiosk.devicesDirectory + "/displays/\(profileName).toml"),
            case .success(let profile) = DisplayProfile.read(document)
        else { return DiagnosticCheck("framebuffer", .ok, text) }
        let matches = (profile.width, profile.height) == mode || (profile.height, profile.width) == mode
        guard matches else {
            return .warning(
                "framebuffer",
                BilingualText(
                    ja: text.ja + "プロファイル \(profileName) の \(profile.width)×\(profile.height) と違います。",
                    en: text.en + " The profile \(profileName) says \(profile.width)×\(profile.height)."),
                next: BilingualText(
                    ja: "画面の入力解像度(カーネルの video= 指定)を確かめ、[display] profile が正しい機種か確かめてください。",
                    en: "Check the video mode (the kernel's video= parameter) and that [display] profile names this model."))
        }
        return .ok(
            "framebuffer", ja: text.ja + "プロファイル \(profileName) と一致します。", en: text.en + " It matches the profile \(profileName).")
    }

    /// The mode from sysfs (`/sys/class/graphics/fb0/virtual_size`: "1920,1080").
    static func mode(of name: String) -> (width: Int, height: Int)? {
        guard let text = try? String(contentsOfFile: "/sys/class/graphics/\(name)/virtual_size", encoding: .utf8) else { return nil }
        let numbers = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }

    static func input(_ id: String, _ device: InputSettings.Device, name: (ja: String, en: String)) -> DiagnosticCheck {
        switch device {
        case .disabled:
            return .skipped(id, ja: "\(name.ja)は使いません(none)。", en: "No \(name.en) (none).")
        case .path(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                return .failure(
                    id, BilingualText(ja: "\(name.ja) \(path) がありません。", en: "The \(name.en) \(path) does not exist."),
                    next: BilingualText(
                        ja: "USB ケーブルを挿し直し、ls /dev/input/by-path/ で名前を確かめて [input] \(id) を直してください。",
                        en: "Plug the USB cable in again; check the name with ls /dev/input/by-path/ and fix [input] \(id)."))
            }
            return .ok(id, ja: "\(name.ja) \(path) があります。", en: "The \(name.en) \(path) is there.")
        case .auto:
            let events = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/input")) ?? []).filter { $0.hasPrefix("event") }
            guard !events.isEmpty else {
                return .warning(
                    id, BilingualText(ja: "入力機器(/dev/input/event*)が1つもありません。", en: "No input device (/dev/input/event*)."),
                    next: BilingualText(
                        ja: "\(name.ja)の USB ケーブルを挿し直し、lsusb と dmesg で認識を確かめてください。",
                        en: "Plug the \(name.en)'s USB cable in again; check lsusb and dmesg."))
            }
            return .ok(
                id, ja: "入力機器 \(events.count) 台(\(name.ja)は自動で選びます)。",
                en: "\(events.count) input device(s); the \(name.en) is chosen automatically.")
        }
    }

    static func calibration(_ configuration: KioskConfiguration) -> DiagnosticCheck {
        let path = configuration.kiosk.stateDirectory + "/touch-calibration.toml"
        guard configuration.display.renderer == .framebuffer, configuration.input.touch != .disabled else {
            return .skipped("calibration", ja: "タッチパネルを使わないため確かめません。", en: "Not checked: no touch screen.")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            return .skipped(
                "calibration", ja: "タッチの補正ファイルはありません(プロファイルの値を使います)。",
                en: "No touch calibration file (the profile's geometry is used).")
        }
        guard let document = try? DataLoader.load(contentsOf: path), case .success = TouchCalibrationFile.read(document) else {
            return .warning(
                "calibration", BilingualText(ja: "タッチの補正ファイル \(path) を読めません。", en: "The touch calibration \(path) cannot be read."),
                next: BilingualText(
                    ja: "ファイルを消して補正し直してください(docs/screens.md)。", en: "Remove the file and calibrate again (docs/screens.md)."))
        }
        return .ok("calibration", ja: "タッチの補正ファイル \(path) を読めます。", en: "The touch calibration \(path) can be read.")
    }
}
