import Foundation

/// Runs a built Madoguchi program, as a user would, and collects what it printed.
struct ProgramRunner {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Where SwiftPM put the programs: beside the test bundle, or `.build/debug`.
    static let binDirectory: URL = {
        if let explicit = ProcessInfo.processInfo.environment["MADOGUCHI_BIN_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // The test bundle may sit inside a *.xctest folder.
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("madoguchi").path) {
            directory = directory.deletingLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("madoguchi").path) {
            return directory
        }
        return ServicesEnvironment.packageRoot.appendingPathComponent(".build/debug")
    }()

    /// Starts `program` (one of ours by name, or any program by absolute path) with
    /// `arguments` and extra environment; the caller owns the process.
    static func start(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], output: Pipe, error: Pipe,
        input: Pipe? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = program.hasPrefix("/") ? URL(fileURLWithPath: program) : binDirectory.appendingPathComponent(program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `program` to completion (killed after `timeout` seconds) and returns its output.
    static func run(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
        timeout: Double = 30
    ) async throws -> Result {
        let output = Pipe()
        let error = Pipe()
        let inputPipe = input.map { _ in Pipe() }
        let process = try start(program, arguments, environment: environment, output: output, error: error, input: inputPipe)
        if let input, let inputPipe {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        async let outData = readToEnd(output.fileHandleForReading)
        async let errData = readToEnd(error.fileHandleForReading)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: await outData, as: UTF8.self),
            standardError: String(decoding: await errData, as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own: a blocking read on the shared pool
    /// (two threads here) would starve every other test's async work while a program runs.
    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
