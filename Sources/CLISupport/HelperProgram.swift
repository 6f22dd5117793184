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
    /// Where helper `name` lives: beside the running executable.
    static func path(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = length > 0 ? String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/" + name
    }

    /// Runs `name` with `arguments` as a child sharing this process's output, and returns
    /// its exit status (127 when it cannot be started, said on standard error).
    public static func run(_ name: String, _ arguments: [String]) -> Int32 {
        let path = path(name)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let started = posix_spawn(&child, path, nil, nil, argv, environ)
        guard started == 0 else {
            Output.error("\(name) を起動できません(\(path): \(String(cString: strerror(started))))。 / Cannot start \(name) (\(path)).")
            return 127
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Replaces this process with `name` (found beside the running executable) and
    /// `arguments`; returns only on failure, after printing why.
    public static func exec(_ name: String, _ arguments: [String]) -> Never {
        let path = path(name)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        Output.error("\(name) を起動できません(\(path): \(reason))。インストールを確認してください。")
        Output.error("Cannot start \(name) (\(path): \(reason)). Check the installation.")
        exit(69)  // EX_UNAVAILABLE
    }
}
