import ArgumentParser
import Foundation
import MadoguchiCore
import MyNumberCard
import PCSC

extension CardCommand {
    /// `madoguchi card read [--pin-stdin] [--json]`
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
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


        func run() throws {
            do {
                let context = try PCSCContext()
                let (reader, hasCard) = try CardAccess.chooseReader(named: options.reader, context: context)
                guard hasCard else {
                    CardAccess.fail(
                        BilingualText(ja: "カードがありません。カードを置いてください。", en: "There is no card. Place the card."),
                        status: CardAccess.Status.unavailable)
                }
                let pin = try pinStdin ? PIN(text: readLine(strippingNewline: false) ?? "") : TerminalPIN.prompt()
                let identity = try CardAccess.withCard(in: reader, context: context) { _, card in
                    try card.verifyAndRead(pin: pin, confirmLastTry: confirmLastTry)
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

/// Asks for the PIN on the terminal without echo.
enum TerminalPIN {
    static func prompt() throws -> PIN {
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
        fputs("暗証番号(数字4桁) / PIN (4 digits): ", tty)
        fflush(tty)
        var digits: [UInt8] = []
        defer {
            digits.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = 0 }
            }
        }
        while true {
            let character = fgetc(tty)
            if character == EOF || character == 0x0A || character == 0x0D { break }
            if digits.count < 16 { digits.append(UInt8(truncatingIfNeeded: character)) }
        }
        return try PIN(asciiDigits: digits)
    }
}
