/// What an evdev device can report, as sysfs shows it
/// (`/sys/class/input/eventN/device/capabilities/{abs,key}` and `…/device/properties`):
/// whether it is a touch screen, whether it has digit keys. Pure: the caller reads the files.
public struct EvdevCapabilities: Sendable, Hashable {
    /// `ABS_*` codes the device reports.
    public var absolute: Set<Int>
    /// `KEY_*` and `BTN_*` codes.
    public var keys: Set<Int>
    /// `INPUT_PROP_*` bits, or nil when sysfs had no `properties` file.
    public var properties: Set<Int>?

    /// Capabilities from sysfs's texts (nil for a file that was not there).
    public init(absolute: String?, keys: String?, properties: String?) {
        self.absolute = absolute.flatMap(Self.bits) ?? []
        self.keys = keys.flatMap(Self.bits) ?? []
        self.properties = properties.flatMap(Self.bits)
    }

    /// `INPUT_PROP_POINTER` (a touchpad or a mouse-like device) and `INPUT_PROP_DIRECT`
    /// (touching the surface touches the picture under it: a touch screen).
    public static let propertyPointer = 0, propertyDirect = 1

    /// It reports an absolute position: multitouch (`ABS_MT_POSITION_X`) or single (`ABS_X`).
    public var hasPosition: Bool {
        absolute.contains(Int(InputEvent.Code.positionX)) || absolute.contains(Int(InputEvent.Code.absX))
    }

    /// The kernel marks it direct (a touch screen), rather than a pointer (a touchpad).
    public var isDirect: Bool { properties?.contains(Self.propertyDirect) ?? false }

    /// A touchpad, tablet or mouse-like pointer, not a screen.
    public var isPointer: Bool { (properties?.contains(Self.propertyPointer) ?? false) && !isDirect }

    /// What a touch screen has: a position, and not a pointer's property.
    public var isTouchScreen: Bool { hasPosition && !isPointer }

    /// `KEY_1`…`KEY_0` (2…11), or the keypad's digits.
    public var hasDigitKeys: Bool {
        let row = Set(2...11)
        let keypad: Set<Int> = [71, 72, 73, 75, 76, 77, 79, 80, 81, 82]
        return row.isSubset(of: keys) || keypad.isSubset(of: keys)
    }

    /// A sysfs bitmap: hexadecimal words separated by spaces, the most significant first,
    /// each a `long` (64 bits here); nil for garbage.
    public static func bits(_ text: String) -> Set<Int>? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard !words.isEmpty else { return nil }
        var bits: Set<Int> = []
        for (index, word) in words.reversed().enumerated() {
            guard word.count <= 16, let value = UInt64(word, radix: 16) else { return nil }
            for bit in 0..<64 where value & (1 << UInt64(bit)) != 0 { bits.insert(index * 64 + bit) }
        }
        return bits
    }
}
