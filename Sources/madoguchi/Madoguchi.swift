import ArgumentParser
import CLISupport
import MadoguchiCore

/// `madoguchi`: the technicians' and staff's command line.
@main
struct Madoguchi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "窓口端末の技術者・職員向けツール / Tools for technicians and staff of Madoguchi kiosks.",
        version: MadoguchiVersion.string,
        subcommands: [
            CardCommand.self, FormsCommand.self, QueueCommand.self, KeysCommand.self, PrintCommand.self, PrinterCommand.self,
            ScreensCommand.self, USBCommand.self, StatusCommand.self, DiagCommand.self, StatsCommand.self, StaffCommand.self,
        ])
}

/// `madoguchi printer …`, run by the helper `madoguchi-printer` (Cairo/Pango and CUPS).
struct PrinterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer",
        abstract: "プリンター(CUPS) / Printers (CUPS).",
        discussion: "madoguchi printer --help で詳細 / See madoguchi printer --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "list | test-page …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-printer", ["printer"] + arguments) }
}

/// `madoguchi print …`, run by the helper `madoguchi-printer` (Cairo/Pango and CUPS).
struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "印刷とキューの確認 / Print, and check the print queue: status, test, FILE.pdf.",
        discussion: "madoguchi print --help で詳細 / See madoguchi print --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "status | test | FILE.pdf …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-printer", ["print"] + arguments) }
}

/// `madoguchi screens …`, run by the helper `madoguchi-printer` (Cairo/Pango).
struct ScreensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screens",
        abstract: "端末の画面 / The kiosk's screens: render the gallery.",
        discussion: "madoguchi screens --help で詳細 / See madoguchi screens --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "render …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-printer", ["screens"] + arguments) }
}

/// `madoguchi usb …`, run by the helper `madoguchi-usb` (libusb).
struct USBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usb",
        abstract: "USB 機器 / USB devices.",
        discussion: "madoguchi usb --help で詳細 / See madoguchi usb --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "list")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-usb", arguments) }
}

/// `madoguchi forms …`, run by the helper `madoguchi-forms` (YAML, the flow engine).
struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "フォーム(質問の流れ)/ Form bundles: lint, run, graph, publish.",
        discussion: "madoguchi forms --help で詳細 / See madoguchi forms --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "lint | run | graph | publish …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-forms", arguments) }
}

/// `madoguchi queue …`, run by the helper `madoguchi-outbox` (SQLite, the outbox).
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "送信待ちキュー / The outbox queue: status, list, retry.",
        discussion: "madoguchi queue --help で詳細 / See madoguchi queue --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "status | list | retry …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-outbox", ["queue"] + arguments) }
}

/// `madoguchi keys …`, run by the helper `madoguchi-outbox` (the outbox key).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "送信待ちキューの鍵 / The outbox key: init, check.",
        discussion: "madoguchi keys --help で詳細 / See madoguchi keys --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "init | check …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-outbox", ["keys"] + arguments) }
}

/// `madoguchi staff …`, run by the helper `madoguchi-outbox` (the staff passcode's hash).
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "職員の暗証番号 / The staff passcode: passcode.",
        discussion: "madoguchi staff --help で詳細 / See madoguchi staff --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "passcode …")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-outbox", ["staff"] + arguments) }
}

/// `madoguchi diag …`, run by the helper `madoguchi-diag` (pcscd, CUPS, the outbox, HTTP).
struct DiagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diag",
        abstract: "端末の診断(✓ ⚠ ✗ – と次の手順)/ Check this kiosk and explain: ✓ ⚠ ✗ – with next steps.",
        discussion: "madoguchi diag --help で詳細 / See madoguchi diag --help.",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "[--json] [--config PATH]")
    var arguments: [String] = []

    func run() throws { HelperProgram.exec("madoguchi-diag", arguments) }
}
