import ArgumentParser
import MadoguchiCore

/// `madoguchi`: the technicians' and staff's command line.
@main
struct Madoguchi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "窓口端末の技術者・職員向けツール / Tools for technicians and staff of Madoguchi kiosks.",
        version: MadoguchiVersion.string,
        subcommands: [CardCommand.self, PrinterCommand.self, USBCommand.self])
}
