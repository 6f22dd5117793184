import Foundation
import Input
import Testing

/// The last virtual terminal of this machine, which nothing here shows, and its modes read
/// with python's ioctl, apart from the code under test.
enum LastVirtualTerminal {
    static let path = "/dev/tty63"
    static var present: Bool { (try? modes()) != nil }

    /// (KDGETMODE, KDGKBMODE): 0 KD_TEXT, 1 KD_GRAPHICS; 3 K_UNICODE, 4 K_OFF …
    static func modes() throws -> (display: Int, keyboard: Int) {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            """
            import array, fcntl, os, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            mode, keyboard = array.array("i", [0]), array.array("i", [0])
            fcntl.ioctl(fd, 0x4B3B, mode)
            fcntl.ioctl(fd, 0x4B44, keyboard)
            print(mode[0], keyboard[0])
            """,
            path,
        ]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let numbers = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard process.terminationStatus == 0, numbers.count == 2 else { throw EnvironmentError(message: "\(path) is not a virtual terminal here") }
        return (numbers[0], numbers[1])
    }

    /// Puts the VT in these modes (KDSETMODE, KDSKBMODE): after a test that failed half-way,
    /// the next finds the VT as it was.
    static func put(_ modes: (display: Int, keyboard: Int)) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            """
            import fcntl, os, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            fcntl.ioctl(fd, 0x4B3A, int(sys.argv[2]))
            fcntl.ioctl(fd, 0x4B45, int(sys.argv[3]))
            """,
            path, String(modes.display), String(modes.keyboard),
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}

extension DeviceTests {
    /// The kiosk's console lock on a real virtual terminal: graphics mode and the keyboard off
    /// while held, both as they were once released (or once the lock is gone).
    ///
    /// Nested in the serialized `DeviceTests` although it needs no service: `DaemonConsoleTests`
    /// (there because the daemon needs them) locks the same VT, and each must read the VT's
    /// modes while no one else holds it.
    @Suite("The console lock on a real virtual terminal", .serialized, .enabled(if: LastVirtualTerminal.present, "needs a virtual terminal (/dev/tty63)"))
    struct ConsoleLockTests {
        @Test func lockingPutsTheVTInGraphicsModeWithItsKeyboardOffAndReleasingPutsBothBack() throws {
            let before = try LastVirtualTerminal.modes()
            let lock = try ConsoleLock(tty: LastVirtualTerminal.path)
            let held = try LastVirtualTerminal.modes()
            lock.release()
            let after = try LastVirtualTerminal.modes()
            #expect(held.display == 1, "KD_GRAPHICS while held")
            #expect(held.keyboard == 4, "K_OFF while held")
            #expect(after.display == 0 && after.keyboard == before.keyboard, "text mode and the keyboard as before: \(after), before \(before)")
        }

        @Test func aLockThatGoesAwayWithoutReleasePutsTheVTBack() throws {
            let before = try LastVirtualTerminal.modes()
            do {
                _ = try ConsoleLock(tty: LastVirtualTerminal.path)  // dropped at once: deinit releases it
            }
            let after = try LastVirtualTerminal.modes()
            #expect(after.display == 0 && after.keyboard == before.keyboard)
        }

        @Test func aFileThatIsNotAVirtualTerminalIsRefusedWithWhatToGive() {
            #expect {
                _ = try ConsoleLock(tty: "/dev/null")
            } throws: { error in
                "\(error)".contains("not a virtual terminal") && "\(error)".contains("/dev/tty1")
            }
        }
    }
}
