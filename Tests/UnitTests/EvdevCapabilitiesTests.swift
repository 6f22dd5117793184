import Input
import Screens
import Testing

/// What sysfs says an input device can report (the display section of `madoguchi diag`),
/// and the calibration crosses `madoguchi diag touch` draws.
@Suite("evdev capabilities and calibration crosses")
struct EvdevCapabilitiesTests {
    @Test func aMultitouchScreenIsATouchScreenWithoutDigitKeys() {
        // ABS_X, ABS_Y, ABS_MT_SLOT, ABS_MT_POSITION_X/Y, ABS_MT_TRACKING_ID; BTN_TOUCH; INPUT_PROP_DIRECT.
        let screen = EvdevCapabilities(absolute: "260800000000003\n", keys: "400 0 0 0 0 0\n", properties: "2\n")
        #expect(screen.absolute == [0, 1, 0x2F, 0x35, 0x36, 0x39])
        #expect(screen.keys == [0x14A])
        #expect(screen.isTouchScreen && screen.isDirect && !screen.hasDigitKeys)
    }

    @Test func aKeyboardHasDigitKeysAndIsNoTouchScreen() {
        let keyboard = EvdevCapabilities(
            absolute: "0", keys: "1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe", properties: "0")
        #expect(keyboard.hasDigitKeys && !keyboard.isTouchScreen)
        // A keypad with its own digits only (KP0–KP9, KPENTER).
        let keypad = EvdevCapabilities(absolute: nil, keys: Self.word([71, 72, 73, 75, 76, 77, 79, 80, 81, 82, 96]), properties: nil)
        #expect(keypad.hasDigitKeys)
        let buttons = EvdevCapabilities(absolute: nil, keys: "70000 0 0 0 0", properties: nil)
        #expect(!buttons.hasDigitKeys)
    }

    /// The sysfs words for `codes` (at most two words here).
    static func word(_ codes: [Int]) -> String {
        var words = [UInt64](repeating: 0, count: 2)
        for code in codes { words[code / 64] |= 1 << UInt64(code % 64) }
        return "\(String(words[1], radix: 16)) \(String(words[0], radix: 16))"
    }

    @Test func aTouchpadOrAMouseIsNotATouchScreen() {
        let touchpad = EvdevCapabilities(absolute: "260800000000003", keys: nil, properties: "1")
        #expect(touchpad.hasPosition && touchpad.isPointer && !touchpad.isTouchScreen)
        let mouse = EvdevCapabilities(absolute: "0", keys: "70000 0 0 0 0", properties: "0")
        #expect(!mouse.isTouchScreen)
        // An old single-touch panel the kernel does not mark direct still counts.
        let old = EvdevCapabilities(absolute: "3", keys: nil, properties: nil)
        #expect(old.isTouchScreen && !old.isDirect)
    }

    @Test(arguments: ["", "xyz", "12345678901234567", "1 -2"])
    func garbageIsNoBitmap(_ text: String) {
        #expect(EvdevCapabilities.bits(text) == nil)
        #expect(EvdevCapabilities(absolute: text, keys: text, properties: text).isTouchScreen == false)
    }

    @Test func eachCrossIsCentredOnItsTargetAndItsWordsStayClearOfIt() {
        for display in [DisplayGeometry.fullHD, DisplayGeometry.small, DisplayGeometry(width: 1080, height: 1920, widthMM: 268, heightMM: 476)] {
            let targets = TouchCalibrationFit.targets()
            let laid = targets.enumerated().map { ScreenLayout.calibrationTarget($0.element, number: $0.offset + 1, of: 5, on: display) }
            for (index, screen) in laid.enumerated() {
                let target = screen.targets.first { $0.id == ScreenLayout.calibrationTargetID(index + 1) }!
                #expect(abs(target.rect.x + target.rect.width / 2 - targets[index].x * display.widthMM) < 0.01)
                #expect(abs(target.rect.y + target.rect.height / 2 - targets[index].y * display.heightMM) < 0.01)
                #expect(screen.texts.first?.mark.plainText == "\(index + 1)/5")
                // No word over the cross (the only one shown), and all of them on the display.
                for text in screen.texts {
                    #expect(text.mark.y >= 0 && text.mark.y + (text.mark.height ?? 0) <= display.heightMM)
                    for cross in [target.rect] {
                        let clear = text.mark.y + (text.mark.height ?? 0) <= cross.y || text.mark.y >= cross.y + cross.height
                            || text.mark.x + (text.mark.width ?? 0) <= cross.x || text.mark.x >= cross.x + cross.width
                        #expect(clear, "\(text.mark.plainText) over a cross on \(display)")
                    }
                }
            }
        }
    }

    @Test func aQuarterTurnSwapsThePicturesPixelsAndMillimetres() {
        let panel = DisplayGeometry(width: 1920, height: 1080, widthMM: 476, heightMM: 268)
        #expect(panel.turned(90) == DisplayGeometry(width: 1080, height: 1920, widthMM: 268, heightMM: 476))
        #expect(panel.turned(270) == panel.turned(90) && panel.turned(-90) == panel.turned(270))
        #expect(panel.turned(0) == panel && panel.turned(180) == panel && panel.turned(360) == panel)
    }
}
