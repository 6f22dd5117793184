import Input
import Screens
import Testing

/// Input without devices: recorded evdev streams (multitouch B, single touch, SYN_DROPPED, a
/// rotated and calibrated panel) replayed onto laid-out screens, keys mapped to buttons,
/// terminal keys decoded, and the terminal screen's cells.
@Suite("Input: evdev streams, keys and the terminal screen")
struct InputTests {
    typealias C = InputEvent.Code

    /// A tap in multitouch protocol B at raw (x, y).
    static func multitouchTap(_ x: Int32, _ y: Int32, id: Int32 = 7) -> [InputEvent] {
        [
            InputEvent(type: C.absolute, code: C.slot, value: 0), InputEvent(type: C.absolute, code: C.trackingID, value: id),
            InputEvent(type: C.absolute, code: C.positionX, value: x), InputEvent(type: C.absolute, code: C.positionY, value: y),
            InputEvent(type: C.key, code: C.buttonTouch, value: 1), InputEvent(type: C.synchronize, code: C.report, value: 0),
            InputEvent(type: C.absolute, code: C.trackingID, value: -1), InputEvent(type: C.key, code: C.buttonTouch, value: 0),
            InputEvent(type: C.synchronize, code: C.report, value: 0),
        ]
    }

    /// The stream as the kernel writes it, parsed back in uneven chunks.
    static func replay(_ events: [InputEvent], chunk: Int = 17) -> [InputEvent] {
        let bytes = events.flatMap(\.bytes)
        var rest: [UInt8] = []
        var out: [InputEvent] = []
        var offset = 0
        while offset < bytes.count {
            let (parsed, left) = InputEvent.parse(rest + bytes[offset..<min(bytes.count, offset + chunk)])
            out += parsed
            rest = left
            offset += chunk
        }
        return out
    }

    static let pinPad = ScreenLayout.layout(ScreenCatalog.screen(.pinPad(entered: 0, triesLeft: 3, wrong: false), language: .ja), on: .small)

    /// The raw point (0…4095 each way) over the centre of `target` on an unrotated panel.
    static func raw(over target: String, in screen: LaidOutScreen) -> (Int32, Int32) {
        let rect = screen.targets.first { $0.id == target }!.rect
        let x = (rect.x + rect.width / 2) / screen.display.widthMM * 4095
        let y = (rect.y + rect.height / 2) / screen.display.heightMM * 4095
        return (Int32(x), Int32(y))
    }

    static func taps(_ events: [InputEvent]) -> [Touch] {
        var tracker = TouchTracker()
        return replay(events).flatMap { tracker.feed($0) }
    }

    @Test func recordsRoundTripThroughTheKernelLayoutInAnyChunking() {
        let events = Self.multitouchTap(100, 200) + [InputEvent(type: C.key, code: 28, value: 1)]
        #expect(Self.replay(events, chunk: 5) == events)
        #expect(InputEvent.parse([1, 2, 3]).events.isEmpty && InputEvent.parse([1, 2, 3]).rest == [1, 2, 3])
    }

    @Test func aMultitouchTapHitsTheButtonUnderIt() {
        let calibration = TouchCalibration(xRange: 0...4095, yRange: 0...4095)
        for key in ["key.1", "key.5", "key.ok", "cancel", "language.en"] {
            let (x, y) = Self.raw(over: key, in: Self.pinPad)
            let taps = Self.taps(Self.multitouchTap(x, y))
            #expect(taps.count == 1)
            let point = calibration.point(taps[0], width: Self.pinPad.display.widthMM, height: Self.pinPad.display.heightMM)
            #expect(Self.pinPad.target(atX: point.x, y: point.y) == key)
        }
    }

    @Test func aSingleTouchScreenTapsToo() {
        let (x, y) = Self.raw(over: "key.0", in: Self.pinPad)
        let events = [
            InputEvent(type: C.absolute, code: C.absX, value: x), InputEvent(type: C.absolute, code: C.absY, value: y),
            InputEvent(type: C.key, code: C.buttonTouch, value: 1), InputEvent(type: C.synchronize, code: C.report, value: 0),
            InputEvent(type: C.key, code: C.buttonTouch, value: 0), InputEvent(type: C.synchronize, code: C.report, value: 0),
        ]
        let taps = Self.taps(events)
        let point = TouchCalibration(xRange: 0...4095, yRange: 0...4095).point(taps[0], width: 154, height: 86)
        #expect(Self.pinPad.target(atX: point.x, y: point.y) == "key.0")
    }

    @Test func synDroppedLosesTheHalfSeenTapNotTheNextOne() {
        let (x, y) = Self.raw(over: "key.9", in: Self.pinPad)
        let tap = Self.multitouchTap(x, y)
        // The buffer overflowed after the touch went down: its lift is lost with the rest.
        let broken = Array(tap.prefix(6)) + [InputEvent(type: C.synchronize, code: C.dropped, value: 0)] + Array(tap.suffix(3))
        let taps = Self.taps(broken + tap)
        #expect(taps.count == 1)
    }

    @Test func aRotatedAndCalibratedPanelStillHitsTheRightButton() {
        // A landscape panel mounted upright (90°), whose touch layer reads 5% short each way.
        let calibration = TouchCalibration(xRange: 100...3995, yRange: 100...3995, matrix: [1.05, 0, -0.025, 0, 1.05, -0.025], rotation: 90)
        let (x, y) = Self.raw(over: "key.3", in: Self.pinPad)
        // What the device reports for that picture point, going backwards through the chain.
        let (px, py) = (Double(x) / 4095, Double(y) / 4095)
        let (panelX, panelY) = (1 - py, px)  // undo the clockwise turn's inverse
        let (nx, ny) = ((panelX + 0.025) / 1.05, (panelY + 0.025) / 1.05)
        let touch = Touch(x: Int32(100 + nx * 3895), y: Int32(100 + ny * 3895))
        let point = calibration.point(touch, width: 154, height: 86)
        #expect(Self.pinPad.target(atX: point.x, y: point.y) == "key.3")
    }

    @Test func anyRawPointADeviceReportsLandsOnTheScreen() {
        let calibration = TouchCalibration(xRange: Int32.min...Int32.max, yRange: -5...5, rotation: 270)
        for touch in [Touch(x: Int32.min, y: Int32.max), Touch(x: Int32.max, y: Int32.min), Touch(x: 0, y: 0)] {
            let point = calibration.point(touch, width: 154, height: 86)
            #expect((0...154).contains(point.x) && (0...86).contains(point.y))
        }
    }

    @Test func keysPressTheButtonsTheScreenShows() {
        let pin = ScreenCatalog.screen(.pinPad(entered: 0, triesLeft: 3, wrong: false), language: .ja)
        #expect(KeyMeaning(linuxKey: 6)?.action(on: pin) == "key.5")  // KEY_5
        #expect(KeyMeaning(linuxKey: 76)?.action(on: pin) == "key.5")  // keypad 5
        #expect(KeyMeaning(linuxKey: 96)?.action(on: pin) == "key.ok")  // keypad Enter
        #expect(KeyMeaning(linuxKey: 14)?.action(on: pin) == "key.clear")
        #expect(KeyMeaning(linuxKey: 1)?.action(on: pin) == "cancel")
        let choice = ScreenCatalog.screen(ScreenState.gallery(.ja)[8], language: .ja)
        #expect(KeyMeaning.digit(2).action(on: choice) == "choice.1")
        #expect(KeyMeaning.digit(9).action(on: choice) == nil)
        let welcome = ScreenCatalog.screen(.welcome, language: .ja)
        #expect(KeyMeaning.enter.action(on: welcome) == "consent.yes")
        #expect(KeyMeaning.function(2).action(on: welcome) == "language.en")
        #expect(KeyMeaning(linuxKey: 30) == nil)  // KEY_A: not a kiosk key
        // F12, from evdev or a terminal, is the staff key on every screen.
        #expect(KeyMeaning(linuxKey: 88)?.action(on: welcome) == "staff")
        #expect(KeyMeaning(linuxKey: 88)?.action(on: pin) == "staff")
        var bytes = Array("\u{1B}[24~5".utf8)
        #expect(TerminalKey.parse(&bytes) == .meaning(.function(12)))
        #expect(TerminalKey.parse(&bytes) == .meaning(.digit(5)))
    }

    @Test func terminalKeysAreDecodedFromBytesInAnySplit() {
        var bytes = Array("\u{1B}[C5\u{1B}OP\r\u{7F}見\u{1B}".utf8)
        var keys: [TerminalKey] = []
        while let key = TerminalKey.parse(&bytes) { keys.append(key) }
        #expect(keys == [.meaning(.right), .meaning(.digit(5)), .meaning(.function(1)), .meaning(.enter), .meaning(.backspace), .character("見"), .meaning(.escape)])
        // An escape sequence that never ends, or breaks off, does not hold the keys after it.
        var endless = Array(("\u{1B}[" + String(repeating: "1", count: 40) + "5").utf8)
        var after: [TerminalKey] = []
        while !endless.isEmpty {
            let before = endless.count
            if let key = TerminalKey.parse(&endless) { after.append(key) }
            if endless.count == before { break }
        }
        #expect(after.last == .meaning(.digit(5)) && endless.isEmpty)
        var broken = Array("\u{1B}[1\u{01}7".utf8)
        #expect(TerminalKey.parse(&broken) == nil && TerminalKey.parse(&broken) == .character("\u{01}") && TerminalKey.parse(&broken) == .meaning(.digit(7)))
        var partial = Array("見".utf8.prefix(2))
        #expect(TerminalKey.parse(&partial) == nil && partial.count == 2)  // waits for the rest
    }

    @Test(arguments: [(80, 24), (120, 40), (40, 12)])
    func everyTerminalScreenFillsExactlyItsCellsWithWideCharactersCountedTwice(_ columns: Int, _ rows: Int) {
        #expect(TerminalScreen.width("窓口 ab") == 7 && TerminalScreen.width("𠮷") == 2 && TerminalScreen.width("葛\u{E0100}") == 2)
        for language in ScreenLanguage.allCases {
            for state in ScreenState.gallery(language) {
                let lines = TerminalScreen.lines(ScreenCatalog.screen(state, language: language, waiting: 3), columns: columns, rows: rows)
                #expect(lines.count == rows)
                #expect(lines.allSatisfy { TerminalScreen.width($0) == columns })
            }
        }
    }
}
