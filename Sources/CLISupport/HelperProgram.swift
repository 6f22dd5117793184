#if canImport(Glibc)
import Glibc
#endif

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
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = length > 0 ? String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let path = directory + "/" + name
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        Output.error("\(name) を起動できません(\(path): \(reason))。インストールを確認してください。")
        Output.error("Cannot start \(name) (\(path): \(reason)). Check the installation.")
        exit(69)  // EX_UNAVAILABLE
    }
}
