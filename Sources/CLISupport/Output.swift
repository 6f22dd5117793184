#if canImport(Glibc)
import Glibc
#endif

/// Terminal output shared by Madoguchi's command-line programs.
public enum Output {
    /// Writes one line to standard output at once, unbuffered, so a pipe (tests, tmux,
    /// `make demo | tee`) sees each line when it happens.
    public static func line(_ items: Any...) {
        let text = items.map { "\($0)" }.joined(separator: " ")
        write(to: STDOUT_FILENO, text + "\n")
    }

    /// Writes a line to standard error.
    public static func error(_ line: String) {
        write(to: STDERR_FILENO, line + "\n")
    }

    /// `12.345s`.
    public static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }

    /// Writes all of `text` to a file descriptor (no stdio buffering).
    private static func write(to descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
