import Glibc
import Input
import KioskRuntime
import KioskSession
import Screens
import Synchronization

/// The kiosk drawn in this terminal (`[display] renderer = "terminal"`, or `--terminal`):
/// screens as text, keys as a keypad — digits, Enter for the main button, Backspace to
/// correct, Esc to cancel, F1–F3 for the language; typed text for text and date answers.
/// Ctrl+C stops the daemon as SIGINT would.
final class TerminalUI: Sendable {
    private let terminal: Mutex<Terminal?>
    private let last = Mutex<Screen?>(nil)

    init() throws(InputError) {
        terminal = Mutex(try Terminal())
    }

    /// Draws a screen (any thread).
    func show(_ screen: Screen) {
        last.withLock { $0 = screen }
        terminal.withLock { terminal in
            guard let terminal else { return }
            let (columns, rows) = terminal.size
            var lines = TerminalScreen.lines(screen, columns: columns, rows: rows - 1)
            lines.append(TerminalScreen.fit("数字・Enter・Backspace・Esc=やめる  F1 日本語 F2 English F3 やさしい  Ctrl+C 終了", width: columns))
            terminal.write(TerminalScreen.ansi(lines))
        }
    }

    /// Puts the terminal back (cooked mode, main screen).
    func restore() {
        terminal.withLock { terminal in
            terminal?.restore()
            terminal = nil
        }
    }

    /// Reads keys until the task is cancelled, as kiosk inputs for the screen on show.
    func run(_ runtime: KioskRuntime) async {
        while !Task.isCancelled {
            let key = terminal.withLock { terminal -> TerminalKey? in
                guard let terminal else { return nil }
                if terminal.takeResize() { return .meaning(.function(99)) }
                return terminal.key(timeout: 0)
            }
            guard let key else {
                try? await Task.sleep(for: .milliseconds(30))
                continue
            }
            if key == .meaning(.function(99)) {
                if let screen = last.withLock({ $0 }) { show(screen) }
                continue
            }
            if key == .character("\u{03}") {
                kill(getpid(), SIGINT)
                continue
            }
            let screen = await runtime.screen
            if let input = Self.input(key, on: screen) { await runtime.input(input) }
        }
    }

    /// What a key means on `screen`.
    static func input(_ key: TerminalKey, on screen: Screen) -> KioskInput? {
        let text = SessionPresenter.takesText(screen)
        switch key {
        case .character(let character):
            if text { return .character(character) }
            if let digit = character.wholeNumberValue, character.isASCII { return KeyMeaning.digit(digit).action(on: screen).map(KioskInput.action) }
            return nil
        case .meaning(.backspace) where text:
            return .erase
        case .meaning(.digit(let digit)) where text:
            return .character(Character(String(digit)))
        case .meaning(let meaning):
            return meaning.action(on: screen).map(KioskInput.action)
        }
    }
}
