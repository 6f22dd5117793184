import Contracts
import Diagnostics
import Foundation
import Input
import MadoguchiConfig
import MadoguchiCore

/// The `display` section: the framebuffer device and its mode against the display profile,
/// the DRM connectors, the touch and keyboard devices' presence and what they can report,
/// and the per-unit touch calibration file. It opens no device (sysfs and the file system
/// only): the daemon may be drawing.
enum DisplayChecks {
    static let title = BilingualText(ja: "画面と入力", en: "Display and input")

    /// Where sysfs is read: `MADOGUCHI_SYSFS_ROOT` (tests lay a fabricated tree there), else `/sys`.
    static func sysfsRoot(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard let root = environment["MADOGUCHI_SYSFS_ROOT"], !root.isEmpty else { return "/sys" }
        return root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    static func section(_ configuration: KioskConfiguration, sysfs: String = sysfsRoot()) -> DiagnosticSection {
        var checks = [framebuffer(configuration, sysfs: sysfs), drm(configuration, sysfs: sysfs)]
        checks.append(input("touch", configuration.input.touch, name: ("タッチパネル", "touch screen")))
        if let check = touchCapabilities(configuration.input.touch, sysfs: sysfs) { checks.append(check) }
        checks.append(input("keyboard", configuration.input.keyboard, name: ("キーボード", "keyboard or keypad")))
        if let check = keyboardCapabilities(configuration.input.keyboard, sysfs: sysfs) { checks.append(check) }
        checks.append(calibration(configuration))
        return DiagnosticSection(id: "display", title: title, checks: checks)
    }

    static func framebuffer(_ configuration: KioskConfiguration, sysfs: String) -> DiagnosticCheck {
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
        guard let mode = mode(of: name, sysfs: sysfs) else {
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
    static func mode(of name: String, sysfs: String) -> (width: Int, height: Int)? {
        guard let text = try? String(contentsOfFile: "\(sysfs)/class/graphics/\(name)/virtual_size", encoding: .utf8) else { return nil }
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

    // MARK: DRM connectors

    /// A DRM connector as sysfs shows it (`/sys/class/drm/card0-HDMI-A-1/`).
    struct Connector {
        /// `HDMI-A-1` (the card's prefix dropped).
        var name: String
        var connected: Bool
        var enabled: Bool
        /// The first mode in `modes`: the display's preferred one (`1920x1080`).
        var preferred: (width: Int, height: Int)?
    }

    /// The connectors under `sysfs/class/drm`, or nil when there is no such folder.
    static func connectors(sysfs: String) -> [Connector]? {
        let folder = sysfs + "/class/drm"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        func read(_ path: String) -> String? {
            (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return names.filter { $0.hasPrefix("card") && $0.contains("-") }.sorted().map { entry in
            let path = folder + "/" + entry
            let first = read(path + "/modes")?.split(separator: "\n").first.map(String.init)
            let numbers = first?.split(separator: "x").compactMap { part in Int(part.prefix { $0.isNumber }) } ?? []
            return Connector(
                name: String(entry.drop { $0 != "-" }.dropFirst()), connected: read(path + "/status") == "connected",
                enabled: read(path + "/enabled") == "enabled", preferred: numbers.count == 2 ? (numbers[0], numbers[1]) : nil)
        }
    }

    /// `drm`: which connector has a display and its preferred mode against the profile.
    /// Informational while the kiosk draws on the framebuffer: ✓ or –.
    static func drm(_ configuration: KioskConfiguration, sysfs: String) -> DiagnosticCheck {
        guard let connectors = connectors(sysfs: sysfs), !connectors.isEmpty else {
            return .skipped("drm", ja: "DRM の接続口はありません(\(sysfs)/class/drm)。", en: "No DRM connectors (\(sysfs)/class/drm).")
        }
        let listed = connectors.map { "\($0.name) \($0.connected ? "connected" : "disconnected")" }.joined(separator: ", ")
        guard let shown = connectors.first(where: \.connected) else {
            return .skipped(
                "drm", ja: "DRM の接続口に画面がつながっていません(\(listed))。", en: "No display on the DRM connectors (\(listed)).")
        }
        var ja = "画面は \(shown.name) につながっています"
        var en = "The display is on \(shown.name)"
        if let mode = shown.preferred {
            ja += "(推奨 \(mode.width)×\(mode.height))"
            en += " (preferred \(mode.width)×\(mode.height))"
            if case .success(let profile)? = configuration.displayProfile(), let name = configuration.display.profile {
                if (profile.width, profile.height) == mode || (profile.height, profile.width) == mode {
                    ja += "。プロファイル \(name) と一致します"
                    en += "; it matches the profile \(name)"
                } else {
                    ja += "。プロファイル \(name) は \(profile.width)×\(profile.height) です"
                    en += "; the profile \(name) says \(profile.width)×\(profile.height)"
                }
            }
        }
        if !shown.enabled {
            ja += "(未使用)"
            en += " (not enabled)"
        }
        let others = connectors.filter { $0.name != shown.name }.map { "\($0.name) \($0.connected ? "connected" : "disconnected")" }
        if !others.isEmpty {
            ja += "。ほか: \(others.joined(separator: ", "))"
            en += "; also \(others.joined(separator: ", "))"
        }
        return .ok("drm", ja: ja + "。", en: en + ".")
    }

    // MARK: What the input devices can report

    /// A configured device's sysfs entry: `eventN` once the path's links are followed.
    enum Entry {
        /// `sysfs/class/input/eventN`.
        case sysfs(name: String, folder: String)
        /// Not a character device: a recorded stream (a FIFO or a file of records).
        case recorded
        /// A character device sysfs knows nothing of.
        case unknown
    }

    static func entry(_ path: String, sysfs: String) -> Entry? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let name = (resolved as NSString).lastPathComponent
        let folder = sysfs + "/class/input/" + name
        if name.hasPrefix("event"), name.dropFirst(5).allSatisfy(\.isNumber), FileManager.default.fileExists(atPath: folder + "/device") {
            return .sysfs(name: name, folder: folder)
        }
        var status = stat()
        return stat(resolved, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR ? .unknown : .recorded
    }

    static func capabilities(_ folder: String) -> EvdevCapabilities {
        func read(_ name: String) -> String? { try? String(contentsOfFile: folder + "/device/" + name, encoding: .utf8) }
        return EvdevCapabilities(absolute: read("capabilities/abs"), keys: read("capabilities/key"), properties: read("properties"))
    }

    /// `eventN` and the device's name from sysfs (`eGalax Inc. USB TouchController`), quoted
    /// as each language quotes, for the line.
    static func label(_ name: String, _ folder: String) -> BilingualText {
        let device = (try? String(contentsOfFile: folder + "/device/name", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return device.isEmpty ? BilingualText(ja: name, en: name) : BilingualText(ja: "\(name)「\(device)」", en: "\(name) \"\(device)\"")
    }

    /// The `eventN` folders sysfs lists, sorted.
    static func inputFolders(sysfs: String) -> [(name: String, folder: String)] {
        let folder = sysfs + "/class/input"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasPrefix("event") && $0.dropFirst(5).allSatisfy(\.isNumber) && !$0.dropFirst(5).isEmpty
        }
        return names.sorted { (Int($0.dropFirst(5)) ?? 0) < (Int($1.dropFirst(5)) ?? 0) }.map { (name: $0, folder: folder + "/" + $0) }
    }

    static let recordedNote = BilingualText(
        ja: "記録したストリーム(キャラクターデバイスではありません)のため、機能は確かめません。",
        en: "A recorded stream (not a character device): its capabilities are not checked.")

    /// `touch-capabilities`: the touch device reports an absolute position (and is not a
    /// touchpad); nil when there is nothing to look at.
    static func touchCapabilities(_ device: InputSettings.Device, sysfs: String) -> DiagnosticCheck? {
        let id = "touch-capabilities"
        let notTouch = BilingualText(
            ja: "USB ケーブルの先がタッチパネルか確かめ(lsusb、evtest)、[input] touch にタッチパネルの /dev/input/by-path/…-event を指定してください。",
            en: "Check the device is the touch screen (lsusb, evtest) and set [input] touch to its /dev/input/by-path/…-event path.")
        switch device {
        case .disabled: return nil
        case .path(let path):
            switch entry(path, sysfs: sysfs) {
            case nil: return nil
            case .recorded: return DiagnosticCheck(id, .skipped, recordedNote)
            case .unknown:
                return .warning(
                    id, BilingualText(ja: "\(path) は入力デバイス(evdev)として sysfs にありません。", en: "\(path) is not an input (evdev) device in sysfs."),
                    next: notTouch)
            case .sysfs(let name, let folder):
                let found = capabilities(folder)
                let named = label(name, folder)
                guard found.hasPosition else {
                    return .warning(
                        id,
                        BilingualText(
                            ja: "\(path)(\(named.ja))はタッチパネルではありません(絶対座標 ABS_X / ABS_MT_POSITION_X がありません)。",
                            en: "\(path) (\(named.en)) is not a touch screen (no absolute position, ABS_X or ABS_MT_POSITION_X)."),
                        next: notTouch)
                }
                guard !found.isPointer else {
                    return .warning(
                        id,
                        BilingualText(
                            ja: "\(path)(\(named.ja))はタッチパッドかペンタブレットで、タッチパネルではありません(INPUT_PROP_POINTER)。",
                            en: "\(path) (\(named.en)) is a touchpad or tablet, not a touch screen (INPUT_PROP_POINTER)."),
                        next: notTouch)
                }
                let kind = found.absolute.contains(Int(InputEvent.Code.positionX)) ? ("マルチタッチ", "multitouch") : ("シングルタッチ", "single-touch")
                return .ok(
                    id, ja: "\(named.ja)は\(kind.0)のタッチパネルです\(found.isDirect ? "" : "(カーネルは direct と示していません)")。",
                    en: "\(named.en) is a \(kind.1) touch screen\(found.isDirect ? "" : " (the kernel does not mark it direct)").")
            }
        case .auto:
            let folders = inputFolders(sysfs: sysfs)
            guard !folders.isEmpty else { return nil }
            let screens = folders.filter { capabilities($0.folder).isTouchScreen }
            guard let first = screens.first else {
                return .warning(
                    id,
                    BilingualText(
                        ja: "入力デバイス \(folders.count) 台のうち、タッチパネルは 1 台もありません。", en: "None of the \(folders.count) input device(s) is a touch screen."),
                    next: BilingualText(
                        ja: "タッチパネルの USB ケーブルを挿し直し、lsusb と dmesg で認識を確かめてください。",
                        en: "Plug the touch screen's USB cable in again; check lsusb and dmesg."))
            }
            let found = label(first.name, first.folder)
            return .ok(id, ja: "タッチパネル: \(found.ja)(自動で選ばれます)。", en: "Touch screen: \(found.en) (chosen automatically).")
        }
    }

    /// `keyboard-capabilities`: the keyboard or PIN pad has digit keys; nil when there is
    /// nothing to look at.
    static func keyboardCapabilities(_ device: InputSettings.Device, sysfs: String) -> DiagnosticCheck? {
        let id = "keyboard-capabilities"
        let noKeys = BilingualText(
            ja: "テンキーかキーボードの /dev/input/by-path/…-event-kbd を [input] keyboard に指定してください(evtest で数字キーを確かめられます)。",
            en: "Set [input] keyboard to the keypad's or keyboard's /dev/input/by-path/…-event-kbd path (evtest shows its digit keys).")
        switch device {
        case .disabled: return nil
        case .path(let path):
            switch entry(path, sysfs: sysfs) {
            case nil: return nil
            case .recorded: return DiagnosticCheck(id, .skipped, recordedNote)
            case .unknown:
                return .warning(
                    id, BilingualText(ja: "\(path) は入力デバイス(evdev)として sysfs にありません。", en: "\(path) is not an input (evdev) device in sysfs."),
                    next: noKeys)
            case .sysfs(let name, let folder):
                let named = label(name, folder)
                guard capabilities(folder).hasDigitKeys else {
                    return .warning(
                        id,
                        BilingualText(
                            ja: "\(path)(\(named.ja))には数字キーがありません。暗証番号を入力できません。",
                            en: "\(path) (\(named.en)) has no digit keys: no PIN can be typed on it."),
                        next: noKeys)
                }
                return .ok(id, ja: "\(named.ja)には数字キーがあります。", en: "\(named.en) has digit keys.")
            }
        case .auto:
            let folders = inputFolders(sysfs: sysfs)
            guard !folders.isEmpty else { return nil }
            let keyboards = folders.filter { capabilities($0.folder).hasDigitKeys }
            guard let first = keyboards.first else {
                return .warning(
                    id,
                    BilingualText(
                        ja: "入力デバイス \(folders.count) 台のうち、数字キーのあるものは 1 台もありません。",
                        en: "None of the \(folders.count) input device(s) has digit keys."),
                    next: BilingualText(
                        ja: "テンキーの USB ケーブルを挿し直し、lsusb と dmesg で認識を確かめてください(タッチパネルだけで使うなら [input] keyboard = \"none\")。",
                        en: "Plug the keypad's USB cable in again; check lsusb and dmesg (with a touch screen only, set [input] keyboard = \"none\")."))
            }
            return .ok(
                id, ja: "数字キーのある入力デバイス: \(keyboards.map { $0.name }.joined(separator: ", "))。",
                en: "Input devices with digit keys: \(keyboards.map { $0.name }.joined(separator: ", ")) (\(first.name) first).")
        }
    }
}
