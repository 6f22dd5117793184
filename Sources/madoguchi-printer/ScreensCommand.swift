import ArgumentParser
import CLISupport
import Foundation
import Input
import MadoguchiCore
import Rendering
import Screens

/// `madoguchi screens …`
struct ScreensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screens",
        abstract: "端末の画面 / The kiosk's screens.",
        subcommands: [Render.self, TerminalGallery.self])

    /// `madoguchi screens render --out DIR`
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "すべての画面を PNG に描きます(デザイン確認用の一覧) / Draw every screen to PNG: the gallery for designers and clerks.",
            discussion: """
                DIR/<画面>-<言語>.png と、各画面の読み上げ文を DIR/speech-<言語>.txt に書きます。
                Writes DIR/<screen>-<language>.png, and what a voice guide says for each screen to DIR/speech-<language>.txt.
                """)

        @Option(help: "書き出すフォルダー / The folder to write to.")
        var out: String

        @Option(help: "言語 / Language: ja, en, ja-easy or all.")
        var lang: String = "all"

        @Option(help: "画素数 幅x高さ / Pixels, WxH (1920x1080, 800x480, or any with --mm).")
        var size: String = "1920x1080"

        @Option(help: "表示部の大きさ(mm) 幅x高さ / The active area in millimetres, WxH (default: known for 1920x1080 and 800x480, else 96 dpi).")
        var mm: String?

        @Flag(help: "大きな文字で描きます / Draw with larger text.")
        var largeText = false

        @Option(help: "未送信件数のバナー / Show the offline banner with this many submissions waiting.")
        var waiting: Int = 0

        func validate() throws {
            guard Self.pair(size) != nil else { throw ValidationError("--size は 幅x高さ(例 1920x1080)にしてください / --size must be WxH, e.g. 1920x1080.") }
            if let mm, Self.pair(mm) == nil { throw ValidationError("--mm は 幅x高さ(例 527x296)にしてください / --mm must be WxH, e.g. 527x296.") }
            guard lang == "all" || ScreenLanguage(rawValue: lang) != nil else {
                throw ValidationError("--lang は ja、en、ja-easy、all のどれかにしてください / --lang must be ja, en, ja-easy or all.")
            }
        }

        static func pair(_ text: String) -> (Double, Double)? {
            let parts = text.lowercased().split(separator: "x")
            guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a >= 100, b >= 100, a <= 10000, b <= 10000 else { return nil }
            return (a, b)
        }

        func run() throws {
            let (width, height) = Self.pair(size)!
            let display: DisplayGeometry
            if let mm, let (wmm, hmm) = Self.pair(mm) {
                display = DisplayGeometry(width: Int(width), height: Int(height), widthMM: wmm, heightMM: hmm)
            } else if Int(width) == 1920, Int(height) == 1080 {
                display = .fullHD
            } else if Int(width) == 800, Int(height) == 480 {
                display = .small
            } else {
                display = DisplayGeometry(width: Int(width), height: Int(height), widthMM: width * 25.4 / 96, heightMM: height * 25.4 / 96)
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let languages = lang == "all" ? ScreenLanguage.allCases : [ScreenLanguage(rawValue: lang)!]
            let renderer = ScreenRenderer()
            var written = 0
            for language in languages {
                var speech = ""
                var seen: [String: Int] = [:]
                for state in ScreenState.gallery(language) {
                    let screen = ScreenCatalog.screen(state, language: language, largeText: largeText, waiting: waiting)
                    seen[screen.id, default: 0] += 1
                    let name = seen[screen.id]! > 1 ? "\(screen.id)-\(seen[screen.id]!)" : screen.id
                    do {
                        try renderer.writePNG(ScreenLayout.layout(screen, on: display), to: "\(out)/\(name)-\(language.rawValue).png")
                    } catch {
                        Output.error("\(name): \(error)")
                        throw ExitCode(1)
                    }
                    speech += "\(name): \(screen.speech)\n"
                    written += 1
                }
                try speech.write(toFile: "\(out)/speech-\(language.rawValue).txt", atomically: true, encoding: .utf8)
            }
            Output.line(BilingualText(ja: "\(written) 枚の画面を \(out) に書きました(\(display.width)×\(display.height))", en: "Wrote \(written) screens to \(out) (\(display.width)×\(display.height))").description)
        }
    }

    /// `madoguchi screens terminal`
    struct TerminalGallery: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "terminal",
            abstract: "画面を端末に表示します(キーの確認にも) / Show the screens in the terminal (also to test keys).",
            discussion: """
                →/← で画面を切り替え、F1〜F3 で言語、q で終了。押したキーが押す画面のボタンを最下行に表示します。
                →/← change screens, F1–F3 the language, q quits. The bottom line names the button a key presses.
                """)

        @Option(help: "最初の画面の id(welcome、pinPad …) / The first screen's id (welcome, pinPad …).")
        var screen: String = "welcome"

        @Option(help: "言語 / Language: ja, en or ja-easy.")
        var lang: String = "ja"

        func validate() throws {
            guard let language = ScreenLanguage(rawValue: lang) else {
                throw ValidationError("--lang は ja、en、ja-easy のどれかにしてください / --lang must be ja, en or ja-easy.")
            }
            guard ScreenState.gallery(language).contains(where: { ScreenCatalog.screen($0, language: language).id == screen }) else {
                let ids = ScreenState.gallery(language).map { ScreenCatalog.screen($0, language: language).id }
                throw ValidationError("--screen は次のどれかにしてください / --screen must be one of: \(ids.joined(separator: ", "))")
            }
        }

        func run() throws {
            var language = ScreenLanguage(rawValue: lang)!
            var states = ScreenState.gallery(language)
            var index = states.firstIndex { ScreenCatalog.screen($0, language: language).id == screen } ?? 0
            let terminal: Terminal
            do {
                terminal = try Terminal()
            } catch {
                Output.error(error.description)
                throw ExitCode(69)
            }
            defer { terminal.restore() }
            var note = ""
            while true {
                let (columns, rows) = terminal.size
                let shown = ScreenCatalog.screen(states[index], language: language)
                var lines = TerminalScreen.lines(shown, columns: columns, rows: rows - 1)
                lines.append(TerminalScreen.fit("→/← screens  q quit  \(index + 1)/\(states.count) \(shown.id)  \(note)", width: columns))
                terminal.write(TerminalScreen.ansi(lines))
                var key: TerminalKey?
                while key == nil {
                    key = terminal.key(timeout: 250)
                    if terminal.takeResize() { break }
                }
                guard let key else { continue }
                switch key {
                case .character("q"), .character("\u{03}"):
                    return
                case .meaning(.right), .character("n"):
                    index = (index + 1) % states.count
                    note = ""
                case .meaning(.left), .character("p"):
                    index = (index + states.count - 1) % states.count
                    note = ""
                case .meaning(.function(let number)) where (1...3).contains(number):
                    language = ScreenLanguage.allCases[number - 1]
                    states = ScreenState.gallery(language)
                case .meaning(let meaning):
                    note = "key → " + (meaning.action(on: shown) ?? "-")
                case .character(let character):
                    note = "key \(character) → -"
                }
            }
        }
    }
}
