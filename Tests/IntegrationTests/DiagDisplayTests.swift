import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension DeviceTests {
    /// `madoguchi diag`'s display section against a fabricated sysfs tree
    /// (`MADOGUCHI_SYSFS_ROOT`): whether the touch device really is a touch screen, whether
    /// the keyboard has digit keys, the DRM connectors against the display profile, and the
    /// calibration file `madoguchi diag touch` writes.
    @Suite("madoguchi diag: the display section from sysfs", .serialized)
    struct DiagDisplayTests {
        typealias Diag = DiagCommandTests

        /// A sysfs tree: event3 a multitouch screen, event4 a keyboard, event5 a mouse;
        /// DRM with a 1920×1080 display on HDMI-A-1 and nothing on DP-1 (unless `drm` is false).
        static func sysfs(in directory: String, drm: Bool = true) throws -> String {
            let root = directory + "/sys"
            func file(_ path: String, _ text: String) throws {
                let full = root + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
            // ABS_X, ABS_Y, ABS_MT_SLOT, ABS_MT_POSITION_X/Y, ABS_MT_TRACKING_ID; INPUT_PROP_DIRECT; BTN_TOUCH.
            try file("class/input/event3/device/name", "eGalax Inc. USB TouchController\n")
            try file("class/input/event3/device/capabilities/abs", "260800000000003\n")
            try file("class/input/event3/device/capabilities/key", "400 0 0 0 0 0\n")
            try file("class/input/event3/device/properties", "2\n")
            // A full keyboard: KEY_1…KEY_0 among the rest.
            try file("class/input/event4/device/name", "Generic USB Keypad\n")
            try file("class/input/event4/device/capabilities/abs", "0\n")
            try file("class/input/event4/device/capabilities/key", "1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe\n")
            try file("class/input/event4/device/properties", "0\n")
            // A mouse: buttons and relative motion only.
            try file("class/input/event5/device/name", "Generic USB Mouse\n")
            try file("class/input/event5/device/capabilities/abs", "0\n")
            try file("class/input/event5/device/capabilities/key", "70000 0 0 0 0\n")
            try file("class/input/event5/device/properties", "0\n")
            if drm {
                try file("class/drm/card0-HDMI-A-1/status", "connected\n")
                try file("class/drm/card0-HDMI-A-1/enabled", "enabled\n")
                try file("class/drm/card0-HDMI-A-1/modes", "1920x1080\n1280x720\n")
                try file("class/drm/card0-DP-1/status", "disconnected\n")
                try file("class/drm/card0-DP-1/enabled", "disabled\n")
                try file("class/drm/card0-DP-1/modes", "")
                try file("class/drm/card0/dev", "226:0\n")
            }
            try file("class/graphics/fb0/virtual_size", "1920,1080\n")
            return root
        }

        /// Stand-ins for /dev/input/eventN (named as the kernel names them) and the framebuffer.
        static func devices(in directory: String) throws -> String {
            let folder = directory + "/dev"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for name in ["event3", "event4", "event5", "fb0"] { try "".write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
            return folder
        }

        static func display(_ dev: String, touch: String, keyboard: String) -> String {
            "[display]\ndevice = \"\(dev)/fb0\"\nprofile = \"generic-fhd-24-touch\"\n\n[input]\ntouch = \"\(touch)\"\nkeyboard = \"\(keyboard)\"\n"
        }

        /// `madoguchi diag --json` with sysfs at `sysfs`: the display section's checks by id.
        static func display(_ kiosk: Diag.Kiosk, sysfs: String) async throws -> [String: [String: Any]] {
            let result = try await ProgramRunner.run(
                "madoguchi", ["diag", "--json", "--config", kiosk.config],
                environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.directory + "/no-daemon.sock", "MADOGUCHI_SYSFS_ROOT": sysfs], timeout: 60)
            try Diag.expectConforms(result.standardOutput)
            return try Diag.checks(result.standardOutput)
        }

        static func text(_ checks: [String: [String: Any]], _ key: String) -> String {
            "\(checks[key]?["ja"] as? String ?? "") \(checks[key]?["en"] as? String ?? "")"
        }

        @Test func aTouchScreenAKeyboardAndAConnectedDisplayAreOkAndNamed() async throws {
            let kiosk = try await Diag.Kiosk()
            defer { kiosk.remove() }
            let sysfs = try Self.sysfs(in: kiosk.directory)
            let dev = try Self.devices(in: kiosk.directory)
            try kiosk.configure(queue: nil, receiver: nil, display: Self.display(dev, touch: dev + "/event3", keyboard: dev + "/event4"))
            let checks = try await Self.display(kiosk, sysfs: sysfs)
            #expect(Diag.mark(checks, "display/framebuffer") == "ok", "\(checks["display/framebuffer"] ?? [:])")
            #expect(Diag.mark(checks, "display/touch-capabilities") == "ok", "\(checks["display/touch-capabilities"] ?? [:])")
            #expect(Self.text(checks, "display/touch-capabilities").contains("event3 \"eGalax Inc. USB TouchController\" is a multitouch touch screen"))
            #expect(Diag.mark(checks, "display/keyboard-capabilities") == "ok")
            #expect(Self.text(checks, "display/keyboard-capabilities").contains("has digit keys"))
            #expect(Diag.mark(checks, "display/drm") == "ok")
            let drm = Self.text(checks, "display/drm")
            #expect(drm.contains("The display is on HDMI-A-1 (preferred 1920×1080); it matches the profile generic-fhd-24-touch"), "\(drm)")
            #expect(drm.contains("DP-1 disconnected"))

            // Both found by themselves among the three devices.
            try kiosk.configure(queue: nil, receiver: nil, display: Self.display(dev, touch: "auto", keyboard: "auto"))
            let auto = try await Self.display(kiosk, sysfs: sysfs)
            #expect(Diag.mark(auto, "display/touch-capabilities") == "ok")
            #expect(Self.text(auto, "display/touch-capabilities").contains("Touch screen: event3"))
            #expect(Diag.mark(auto, "display/keyboard-capabilities") == "ok")
            #expect(Self.text(auto, "display/keyboard-capabilities").contains("event4"))
        }

        @Test func aMouseAsTheTouchScreenAndATouchScreenAsTheKeyboardAreWarnings() async throws {
            let kiosk = try await Diag.Kiosk()
            defer { kiosk.remove() }
            let sysfs = try Self.sysfs(in: kiosk.directory, drm: false)
            let dev = try Self.devices(in: kiosk.directory)
            try kiosk.configure(queue: nil, receiver: nil, display: Self.display(dev, touch: dev + "/event5", keyboard: dev + "/event3"))
            let checks = try await Self.display(kiosk, sysfs: sysfs)
            #expect(Diag.mark(checks, "display/touch") == "ok", "the file is there")
            #expect(Diag.mark(checks, "display/touch-capabilities") == "warning")
            #expect(Self.text(checks, "display/touch-capabilities").contains("is not a touch screen"))
            #expect(Diag.next(checks, "display/touch-capabilities").contains("[input] touch"))
            #expect(Diag.mark(checks, "display/keyboard-capabilities") == "warning")
            #expect(Self.text(checks, "display/keyboard-capabilities").contains("has no digit keys"))
            #expect(Diag.next(checks, "display/keyboard-capabilities").contains("[input] keyboard"))
            // No /sys/class/drm: informational, not a fault.
            #expect(Diag.mark(checks, "display/drm") == "skipped")

            // With auto, none of them is a touch screen once the screen is unplugged.
            try FileManager.default.removeItem(atPath: sysfs + "/class/input/event3")
            try kiosk.configure(queue: nil, receiver: nil, display: Self.display(dev, touch: "auto", keyboard: "none"))
            let auto = try await Self.display(kiosk, sysfs: sysfs)
            #expect(Diag.mark(auto, "display/touch-capabilities") == "warning")
            #expect(Self.text(auto, "display/touch-capabilities").contains("None of the 2 input device(s) is a touch screen"))
            #expect(auto["display/keyboard-capabilities"] == nil)
        }

        @Test func theFileDiagTouchWritesIsACheckedCalibration() async throws {
            let kiosk = try await Diag.Kiosk()
            defer { kiosk.remove() }
            let sysfs = try Self.sysfs(in: kiosk.directory)
            let dev = try Self.devices(in: kiosk.directory)
            let fifo = kiosk.directory + "/touch-event"
            #expect(mkfifo(fifo, 0o600) == 0)
            try kiosk.configure(queue: nil, receiver: nil, display: Self.display(dev, touch: fifo, keyboard: "none"))
            let before = try await Self.display(kiosk, sysfs: sysfs)
            #expect(Diag.mark(before, "display/calibration") == "skipped")
            #expect(Diag.mark(before, "display/touch-capabilities") == "skipped", "a recorded stream's capabilities are not checked")

            // The crosses cannot be drawn on the stand-in framebuffer: the terminal says where.
            let calibration = TouchCalibrationCommandTests.Kiosk(sharing: kiosk.directory, config: kiosk.config)
            let points = TouchCalibrationCommandTests.targets.map { TouchCalibrationCommandTests.raw($0, matrix: TouchCalibrationCommandTests.skewed) }
            let result = try await TouchCalibrationCommandTests.run(calibration, TouchCalibrationCommandTests.taps(points), [])
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            #expect(result.standardOutput.contains("Cannot draw the crosses on \(dev)/fb0"), "\(result.standardOutput)")
            let after = try await Self.display(kiosk, sysfs: sysfs)
            #expect(Diag.mark(after, "display/calibration") == "ok", "\(after["display/calibration"] ?? [:])")
        }
    }
}
