import ArgumentParser
import CLISupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import MadoguchiCore
import PCSC

/// `madoguchi card …`: the card readers pcscd sees.
struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "カードリーダーとカード / Card readers and cards.",
        subcommands: [Readers.self, Watch.self, Status.self, Read.self])

    /// `madoguchi card readers`
    struct Readers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "readers",
            abstract: "pcscd が認識しているカードリーダーを表示します / List the readers pcscd knows.")

        func run() throws {
            let readers: [String]
            do {
                readers = try PCSCContext().readers()
            } catch {
                Output.error(error.description)
                throw ExitCode(69)  // EX_UNAVAILABLE
            }
            if readers.isEmpty {
                print(BilingualText(ja: "カードリーダーがありません。", en: "No card readers."))
            }
            for reader in readers { print(reader) }
        }
    }

    /// `madoguchi card watch`
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "リーダーとカードの出入りを表示します / Show readers and cards as they come and go.",
            discussion: "Ctrl+C で終了 / Stop with Ctrl+C.")

        @Option(name: .long, help: "この秒数で終了 / Stop after this many seconds.")
        var seconds: Double?

        func validate() throws {
            if let seconds, !(seconds > 0) {
                throw ValidationError("--seconds must be a positive number of seconds, e.g. --seconds 10.")
            }
        }

        func run() async throws {
            Output.line(BilingualText(ja: "カードリーダーとカードを監視しています…", en: "Watching card readers and cards…"))
            let events = ReaderWatcher.events()
            let limit = seconds
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Each line starts with the time since the watch began and since the last
                    // event, so a technician sees how long a reader or card took.
                    let start = ContinuousClock.now
                    var last = start
                    for await event in events {
                        let now = ContinuousClock.now
                        Output.line(
                            "[\(Output.seconds(now - start)) +\(Output.seconds(now - last))]", event.symbol,
                            event.message)
                        last = now
                    }
                }
                if let limit {
                    group.addTask { try? await Task.sleep(for: .seconds(limit)) }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
