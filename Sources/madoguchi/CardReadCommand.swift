import ArgumentParser
import CLISupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import MadoguchiCore
import MyNumberCard
import PCSC

extension CardCommand {
    /// `madoguchi card read [--pin-stdin] [--json]`
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "暗証番号で基本4情報を読み取ります / Read the basic 4 information with the PIN.",
            discussion: """
                券面事項入力補助用暗証番号(数字4桁)を使います。個人番号は読みません。
                Uses the 4-digit card-information PIN. The individual number is never read.
                """)

        @OptionGroup var options: CardOptions

        @Flag(help: "暗証番号を標準入力の1行から読む / Read the PIN from one line of standard input.")
        var pinStdin = false

        @Flag(help: "残り1回でも照合する / Use the PIN even when only one try is left.")
        var confirmLastTry = false

        @Flag(help: "照合番号B(生年月日6桁+有効期限の西暦4桁+セキュリティコード4桁)を使う。職員モードのみ / Use PIN B (birth YYMMDD + expiry year + security code); staff mode only.")
        var pinB = false

        @Option(help: "端末のモード(resident, staff, vehicle) / The kiosk mode.")
        var mode = KioskMode.resident.rawValue

        var kioskMode: KioskMode { KioskMode(rawValue: mode) ?? .resident }

        func validate() throws {
            guard KioskMode(rawValue: mode) != nil else {
                throw ValidationError("--mode must be resident, staff or vehicle, not \"\(mode)\".")
            }
            if pinB && kioskMode != .staff {
                throw ValidationError("--pin-b needs --mode staff: PIN B is for staff helping a resident who forgot the PIN.")
            }
        }


        func run() throws {
            do {
                let context = try PCSCContext()
                let (reader, hasCard) = try CardAccess.chooseReader(named: options.reader, context: context)
                guard hasCard else {
                    CardAccess.fail(
                        BilingualText(ja: "カードがありません。カードを置いてください。", en: "There is no card. Place the card."),
                        status: CardAccess.Status.unavailable)
                }
                let kind: PIN.Kind = pinB ? .pinB : .cardInformation
                let pin = try pinStdin ? PIN(readingLineFrom: StandardInput.nextByte, kind: kind) : TerminalPIN.prompt(kind: kind)
                let staff = StaffModeAuthorization(mode: kioskMode)
                let identity = try CardAccess.withCard(in: reader, context: context) { _, card in
                    try card.verifyAndRead(pin: pin, confirmLastTry: confirmLastTry, staff: staff)
                }
                let output = ReadOutput(reader: reader, identity: identity)
                if options.json {
                    print(try CardAccess.json(output))
                } else {
                    print("氏名 / Name: \(identity.name)")
                    print("住所 / Address: \(identity.address)")
                    print("生年月日 / Birth date: \(identity.birthWareki) (\(identity.birthDate))")
                    print("性別 / Sex: \(identity.sex.meaning)")
                }
            } catch {
                CardAccess.report(error)
            }
        }
    }
}

/// The `card read --json` shape (`schemas/card-read.schema.json`).
struct ReadOutput: Encodable {
    var reader: String
    var cardType = "myNumberCard"
    var identity: Identity

    struct Identity: Encodable {
        var name: String
        var address: String
        var birth: String
        var birthDate: String
        var birthWareki: String
        var sex: Sex
    }

    struct Sex: Encodable {
        var code: String
        var meaning: BilingualText
    }

    init(reader: String, identity: ResidentIdentity) {
        self.reader = reader
        self.identity = Identity(
            name: identity.name, address: identity.address, birth: identity.birth, birthDate: identity.birthDate,
            birthWareki: identity.birthWareki, sex: Sex(code: identity.sex.code, meaning: identity.sex.meaning))
    }
}

/// Reads standard input one byte at a time (no buffering into a `String`).
enum StandardInput {
    static func nextByte() -> UInt8? {
        var byte: UInt8 = 0
        return read(STDIN_FILENO, &byte, 1) == 1 ? byte : nil
    }
}

/// Asks for the PIN on the terminal without echo.
enum TerminalPIN {
    static func prompt(kind: PIN.Kind) throws -> PIN {
        guard let tty = fopen("/dev/tty", "r+") else {
            throw ValidationError("No terminal to type the PIN on; use --pin-stdin.")
        }
        defer { fclose(tty) }
        let fd = fileno(tty)
        var saved = termios()
        tcgetattr(fd, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            fputs("\n", tty)
        }
        fputs(
            kind == .pinB
                ? "照合番号B(数字14桁) / PIN B (14 digits): " : "暗証番号(数字4桁) / PIN (4 digits): ", tty)
        fflush(tty)
        return try PIN(
            readingLineFrom: {
                let character = fgetc(tty)
                return character == EOF ? nil : UInt8(truncatingIfNeeded: character)
            }, kind: kind)
    }
}
