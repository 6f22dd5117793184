import Foundation

/// Runs a helper program that lives beside the current executable (`madoguchi printer …`
/// runs `madoguchi-printer …`), replacing this process.
///
/// `madoguchi` links only what card commands need, so a card read starts as fast as a
/// small C tool; subcommands that need heavy libraries (Cairo/Pango, CUPS, libusb) live in
/// helpers that pay their start-up only when used.
public enum HelperProgram {
    /// Replaces this process with `name` (found beside the running executable) and
    /// `arguments`; returns only on failure, after printing why.
    public static func exec(_ name: String, _ arguments: [String]) -> Never {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        Output.error("\(name) を起動できません(\(path): \(reason))。インストールを確認してください。")
        Output.error("Cannot start \(name) (\(path): \(reason)). Check the installation.")
        exit(69)  // EX_UNAVAILABLE
    }
}
