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
    /// Runs `scripts/services ARGUMENTS…` (e.g. `restart pcscd`) and fails if it does
    /// (started through `Spawn`, so the daemons it starts hear their signals).
    func services(_ arguments: String...) throws {
        let script = try require("MADOGUCHI_SERVICES_SCRIPT")
        guard let status = Spawn.run(script, arguments) else { throw EnvironmentError(message: "cannot start \(script)") }
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
