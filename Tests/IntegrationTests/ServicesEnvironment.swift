import Foundation

/// The services `scripts/services up` started, read from `.build/services/env`.
///
/// Tests never guess paths or pids: a missing file means the services are not up, and the
/// error says how to bring them up.
struct ServicesEnvironment: Sendable {
    let values: [String: String]

    /// The package's root folder (two levels above this file's folder).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads the env file anew each time: a test that restarts a service changes its pid.
    static var current: Result<ServicesEnvironment, EnvironmentError> {
        let path = ProcessInfo.processInfo.environment["MADOGUCHI_SERVICES_ENV"]
            ?? packageRoot.appendingPathComponent(".build/services/env").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(EnvironmentError(
                message: "\(path) is missing: the test services are not up. Run `make test`, or `scripts/services up` before `swift test`."))
        }
        return .success(ServicesEnvironment(values: parse(text)))
    }

    /// Loads the environment or fails the test with the reason.
    static func load() throws -> ServicesEnvironment { try current.get() }

    /// Parses `KEY='value'` / `KEY=value` lines; `#` lines are comments.
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
                value = String(value.dropFirst().dropLast())
            }
            values[String(line[..<equals])] = value
        }
        return values
    }

    /// The value of `key`, or a thrown error naming it.
    func require(_ key: String) throws -> String {
        guard let value = values[key], !value.isEmpty else {
            throw EnvironmentError(message: "\(key) is missing from the services env file; re-run `scripts/services up`.")
        }
        return value
    }

    var reader: String { get throws { try require("MADOGUCHI_TEST_READER") } }
    var printer: String { get throws { try require("MADOGUCHI_TEST_PRINTER") } }
    var printOutput: String { get throws { try require("MADOGUCHI_TEST_PRINT_OUT") } }
    var printerControl: String { get throws { try require("MADOGUCHI_TEST_PRINTER_CONTROL") } }
    var cupsServer: String { get throws { try require("CUPS_SERVER") } }
    var cupsSpool: String { get throws { try require("MADOGUCHI_TEST_CUPS_SPOOL") } }
    var cupsdPID: Int32 { get throws { Int32(try require("MADOGUCHI_TEST_CUPSD_PID")) ?? 0 } }
    /// Runs `scripts/services ARGUMENTS…` (e.g. `restart pcscd`) and fails if it does.
    ///
    /// Spawned with posix_spawn and reaped with waitpid: Foundation's `Process` was seen
    /// never to report the exit of a script that leaves daemons running behind it.
    func services(_ arguments: String...) throws {
        let script = try require("MADOGUCHI_SERVICES_SCRIPT")
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // The calling thread (a Swift concurrency or dispatch worker) blocks signals; a
        // child inherits that mask, and daemons started under it would ignore SIGTERM and
        // the card its SIGUSR1/SIGUSR2. Start the script with an empty mask.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        guard posix_spawn(&pid, script, &actions, &attributes, argv, environ) == 0 else {
            throw EnvironmentError(message: "cannot start \(script)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw EnvironmentError(message: "scripts/services \(arguments.joined(separator: " ")) failed (status \(status))")
        }
    }

    var cardPID: Int32 {
        get throws {
            guard let pid = Int32(try require("MADOGUCHI_TEST_CARD_PID")) else {
                throw EnvironmentError(message: "MADOGUCHI_TEST_CARD_PID is not a number")
            }
            return pid
        }
    }
}

struct EnvironmentError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
