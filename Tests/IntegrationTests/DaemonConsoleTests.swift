import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

extension DeviceTests {
    /// The real `madoguchid`, with everything real around it (pcscd and the virtual card,
    /// cupsd, the reference receiver), given `[display] console` = the last virtual terminal
    /// of this machine: the VT is locked while the daemon runs and put back when it stops; a
    /// VT it may not lock leaves the kiosk running with a warning and says so in its status.
    @Suite("The daemon's console lock on a real virtual terminal", .enabled(if: LastVirtualTerminal.present, "needs a virtual terminal (/dev/tty63)"))
    struct DaemonConsoleTests {
        typealias Kiosk = KioskDaemonTests.Kiosk

        /// A kiosk (terminal renderer in a tmux pane) whose configuration names `console`.
        static func kiosk(console: String, receiver: String) async throws -> Kiosk {
            let kiosk = try await Kiosk(receiver: receiver)
            let path = kiosk.directory + "/madoguchi.toml"
            let configuration = try String(contentsOfFile: path, encoding: .utf8)
            try #require(configuration.contains("renderer = \"terminal\"\n"))
            try configuration.replacingOccurrences(of: "renderer = \"terminal\"\n", with: "renderer = \"terminal\"\nconsole = \"\(console)\"\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            return kiosk
        }

        /// `console` of `madoguchi status --json`.
        static func console(_ kiosk: Kiosk) async throws -> [String: Any] {
            try await kiosk.ask("status")["console"] as? [String: Any] ?? [:]
        }

        @Test func theDaemonHoldsItsVTInGraphicsModeWithTheKeyboardOffAndPutsBothBackOnSIGTERM() async throws {
            try await KioskDaemonTests.withReceiver { receiver in
                let original = try LastVirtualTerminal.modes()
                defer { try? LastVirtualTerminal.put(original) }
                // A keyboard mode the VT does not usually have (K_XLATE, else K_UNICODE): the
                // daemon must put back the one it found, not a usual one.
                let before = (display: 0, keyboard: original.keyboard == 1 ? 3 : 1)
                try LastVirtualTerminal.put(before)
                try #require(try LastVirtualTerminal.modes() == before)
                let kiosk = try await Self.kiosk(console: LastVirtualTerminal.path, receiver: receiver.url)
                try await kiosk.start()
                let held = try LastVirtualTerminal.modes()
                #expect(held.display == 1, "KD_GRAPHICS while the daemon runs")
                #expect(held.keyboard == 4, "K_OFF while the daemon runs")
                let console = try await Self.console(kiosk)
                #expect(console["tty"] as? String == LastVirtualTerminal.path && console["locked"] as? Bool == true, "\(console)")
                let people = try await ProgramRunner.run("madoguchi", ["status"], environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.socket])
                #expect(people.standardOutput.contains("コンソール / Console: \(LastVirtualTerminal.path)、固定しています / locked"), "\(people.standardOutput)")
                try await kiosk.stop(sigterm: true)
                let after = try LastVirtualTerminal.modes()
                #expect(after.display == 0 && after.keyboard == before.keyboard, "text mode and the keyboard as before: \(after), before \(before)")
                #expect(!kiosk.log.contains("cannot lock"), "\(kiosk.log)")
            }
        }

        @Test func aDaemonThatMayNotLockItsVTKeepsServingWarnsWithTheFixAndSaysSoInItsStatus() async throws {
            try await KioskDaemonTests.withReceiver { receiver in
                let before = try LastVirtualTerminal.modes()
                defer { try? LastVirtualTerminal.put(before) }
                let kiosk = try await Self.kiosk(console: LastVirtualTerminal.path, receiver: receiver.url)
                // nobody, as a unit without TTYPath= would leave it: the VT is root's (0600).
                try await kiosk.start(as: (uid: 65534, gid: 65534))
                let untouched = try LastVirtualTerminal.modes()
                #expect(untouched.display == before.display && untouched.keyboard == before.keyboard, "\(untouched), before \(before)")
                let console = try await Self.console(kiosk)
                #expect(console["tty"] as? String == LastVirtualTerminal.path && console["locked"] as? Bool == false, "\(console)")
                let people = try await ProgramRunner.run("madoguchi", ["status"], environment: ["MADOGUCHI_CONTROL_SOCKET": kiosk.socket])
                #expect(people.standardOutput.contains("コンソール / Console: \(LastVirtualTerminal.path)、固定できません / not locked"), "\(people.standardOutput)")
                let log = kiosk.log
                #expect(log.contains("cannot lock the virtual terminal \(LastVirtualTerminal.path)"), "\(log)")
                #expect(log.contains("仮想端末 \(LastVirtualTerminal.path) を固定できません"), "\(log)")
                #expect(log.contains("TTYPath=\(LastVirtualTerminal.path)") && log.contains("StandardInput=tty-force"), "the fix is named: \(log)")
                #expect(log.contains("Permission denied"), "the reason: \(log)")
                // The kiosk still serves: a session starts.
                try kiosk.keys("Enter")
                try await kiosk.expectScreen("暗証番号")
                try await kiosk.stop(sigterm: true)
            }
        }
    }
}
