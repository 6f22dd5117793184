internal import CLinuxInput
import Glibc

/// The controlling terminal in raw mode, full screen, for one program: keys in, lines out,
/// its size followed on SIGWINCH, and the terminal put back on every way out.
public final class Terminal {
    private let input: Int32 = 0
    private let output: Int32 = 1
    private var saved = termios()
    private var restored = false
    private var pending: [UInt8] = []

    /// Enters raw mode and the alternate screen.
    /// - Throws: when standard input is not a terminal.
    public init() throws(InputError) {
        guard isatty(input) == 1, tcgetattr(input, &saved) == 0 else {
            throw InputError(device: "terminal", message: "standard input is not a terminal; run it in a terminal (or over ssh -t)")
        }
        var raw = saved
        cfmakeraw(&raw)
        raw.c_oflag |= tcflag_t(OPOST)  // keep \n → \r\n for messages
        tcsetattr(input, TCSAFLUSH, &raw)
        signal(SIGWINCH) { _ in Terminal.resized = 1 }
        write("\u{1B}[?1049h\u{1B}[?25l")  // alternate screen, hide the cursor
    }

    deinit { restore() }

    /// Puts the terminal back as it was (cursor, main screen, cooked mode). Safe to call twice.
    public func restore() {
        guard !restored else { return }
        restored = true
        write("\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(input, TCSAFLUSH, &saved)
        signal(SIGWINCH, SIG_DFL)
    }

    /// Set by the SIGWINCH handler (a signal handler may only set such a flag).
    nonisolated(unsafe) static var resized: sig_atomic_t = 0

    /// Whether the size changed since the last call.
    public func takeResize() -> Bool {
        guard Terminal.resized != 0 else { return false }
        Terminal.resized = 0
        return true
    }

    /// Columns and rows.
    public var size: (columns: Int, rows: Int) {
        var size = winsize()
        guard madoguchi_tty_size(output, &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Writes text as is.
    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        let total = bytes.count
        var offset = 0
        while offset < total {
            let written = bytes.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + offset, total - offset) }
            if written <= 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }

    /// The next key, waiting up to `timeout` milliseconds (nil: none came, or a resize).
    public func key(timeout: Int32) -> TerminalKey? {
        if let key = TerminalKey.parse(&pending) { return key }
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeout) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(input, &buffer, 64)
        guard count > 0 else { return nil }
        pending += buffer[0..<count]
        return TerminalKey.parse(&pending)
    }
}

/// An input device that cannot be used: which, and why.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// The device path or "terminal".
    public var device: String
    /// Why.
    public var message: String

    /// Creates an error.
    public init(device: String, message: String) {
        self.device = device
        self.message = message
    }

    /// One line.
    public var description: String { "\(device): \(message)" }
}
