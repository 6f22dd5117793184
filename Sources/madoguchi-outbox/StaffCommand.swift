import ArgumentParser
import CLISupport
import DaemonSupport
import Foundation
import MadoguchiCore

/// `madoguchi staff …`: the staff passcode that opens staff mode on the kiosk (F12).
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "職員の暗証番号 / The staff passcode.",
        subcommands: [Passcode.self])

    /// `madoguchi staff passcode`: sets (or changes) the passcode, kept as a `$6$` hash.
    struct Passcode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passcode",
            abstract: "職員の暗証番号を設定します / Sets the staff passcode.",
            discussion: """
                6〜12 桁の数字。端末には SHA-512 の crypt ハッシュだけを 0600 のファイルに残します。
                root で実行すると、ファイルは madoguchi 利用者のものになります(デーモンが読むため)。
                変更は madoguchid の再起動で有効になります。
                6 to 12 digits. Only a SHA-512 crypt hash stays on the kiosk, in a 0600 file; run as root,
                the file is given to the madoguchi user (the daemon reads it). Restart madoguchid to use it.
                """)

        @OptionGroup var options: OutboxOptions

        @Option(help: "ハッシュのファイル / The hash file (default [staff] passcodeHashFile).")
        var file: String?

        @Flag(help: "暗証番号を標準入力の 1 行から読みます(スクリプト用)/ Read the passcode from one line of standard input (for scripts).")
        var passcodeStdin = false

        func run() throws {
            let path = try file ?? options.staffSettings().passcodeHashFile
            var digits = try readPasscode()
            defer { for index in digits.indices { digits[index] = 0 } }
            let hash: String
            do {
                hash = try StaffPasscode.hash(digits)
            } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
            let owner = try write(hash, to: path)
            Output.line(options.lang.text(BilingualText(
                ja: "職員の暗証番号を設定しました: \(path)(モード 0600\(owner.map { "、所有者 \($0)" } ?? ""))。madoguchid を再起動すると使えます。",
                en: "The staff passcode is set: \(path) (mode 0600\(owner.map { ", owner \($0)" } ?? "")). Restart madoguchid to use it.")))
        }

        /// The passcode's digits as ASCII: one line of standard input, or typed twice at the
        /// terminal without echo.
        func readPasscode() throws -> [UInt8] {
            if passcodeStdin || isatty(0) == 0 {
                guard let line = readLine(strippingNewline: true) else {
                    options.lang.error(BilingualText(ja: "標準入力に暗証番号がありません。", en: "No passcode on standard input."))
                    throw ExitCode(2)
                }
                return try checked(Array(line.utf8))
            }
            let first = try checked(Self.readHidden(prompt: "職員の暗証番号(6〜12 桁)/ Staff passcode (6 to 12 digits): "))
            var second = Self.readHidden(prompt: "もう一度 / Again: ")
            defer { for index in second.indices { second[index] = 0 } }
            guard first == second else {
                options.lang.error(BilingualText(ja: "2 回の入力が違います。もう一度やり直してください。", en: "The two entries differ; try again."))
                throw ExitCode(1)
            }
            return first
        }

        func checked(_ digits: [UInt8]) throws -> [UInt8] {
            guard StaffPasscode.isValid(digits) else {
                Output.error(StaffPasscode.Problem.notDigits.description)
                throw ExitCode(1)
            }
            return digits
        }

        /// A line from the terminal with echo off.
        static func readHidden(prompt: String) -> [UInt8] {
            FileHandle.standardError.write(Data(prompt.utf8))
            var saved = termios()
            tcgetattr(0, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSANOW, &quiet)
            defer {
                tcsetattr(0, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            var bytes: [UInt8] = []
            var byte: UInt8 = 0
            while read(0, &byte, 1) == 1, byte != 0x0A, byte != 0x0D, bytes.count < 64 { bytes.append(byte) }
            return bytes
        }

        /// Writes `hash` to `path` through a 0600 file renamed into place; as root, gives it to
        /// the daemon's user. Returns that user's name when it did.
        func write(_ hash: String, to path: String) throws -> String? {
            let folder = (path as NSString).deletingLastPathComponent
            let temporary = (folder.isEmpty ? "." : folder) + "/.staff-passcode.\(getpid()).tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                options.lang.error(BilingualText(
                    ja: "\(folder) にファイルを作れません(\(reason))。フォルダーと権限を確かめてください。",
                    en: "Cannot create a file in \(folder) (\(reason)). Check the folder and its permissions."))
                throw ExitCode(1)
            }
            let bytes = Array((hash + "\n").utf8)
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            var owner: String?
            if geteuid() == 0, let user = getpwnam("madoguchi") {
                if fchown(descriptor, user.pointee.pw_uid, user.pointee.pw_gid) == 0 { owner = "madoguchi" }
            }
            let synced = fsync(descriptor) == 0
            close(descriptor)
            guard written == bytes.count, synced, rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                options.lang.error(BilingualText(ja: "\(path) に書けません(\(reason))。", en: "Cannot write \(path) (\(reason))."))
                throw ExitCode(1)
            }
            return owner
        }
    }
}
