import Foundation

/// Terminal output shared by Madoguchi's command-line programs.
public enum Output {
    /// Writes one line to standard output at once, unbuffered, so a pipe (tests, tmux,
    /// `make demo | tee`) sees each line when it happens.
    public static func line(_ items: Any...) {
        let text = items.map { "\($0)" }.joined(separator: " ")
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes a line to standard error.
    public static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `12.345s`.
    public static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%d.%03ds", Int(milliseconds / 1000), Int(milliseconds % 1000))
    }
}
