/// One Linux input event (`struct input_event` on 64-bit Linux: a 16-byte timeval, then
/// type, code and value), read from an evdev device or a recorded stream.
public struct InputEvent: Sendable, Hashable {
    /// `EV_*`.
    public var type: UInt16
    /// `KEY_*`, `ABS_*`, `SYN_*`…
    public var code: UInt16
    /// The value.
    public var value: Int32

    /// An event.
    public init(type: UInt16, code: UInt16, value: Int32) {
        self.type = type
        self.code = code
        self.value = value
    }

    /// The size of one record on 64-bit Linux.
    public static let size = 24

    /// Event types and codes Madoguchi reads (linux/input-event-codes.h).
    public enum Code {
        public static let synchronize: UInt16 = 0x00, key: UInt16 = 0x01, absolute: UInt16 = 0x03
        public static let report: UInt16 = 0, dropped: UInt16 = 3
        public static let absX: UInt16 = 0x00, absY: UInt16 = 0x01
        public static let slot: UInt16 = 0x2F, positionX: UInt16 = 0x35, positionY: UInt16 = 0x36, trackingID: UInt16 = 0x39
        public static let buttonTouch: UInt16 = 0x14A
    }

    /// Little-endian records; a trailing partial record is left for the next read.
    public static func parse(_ bytes: [UInt8]) -> (events: [InputEvent], rest: [UInt8]) {
        var events: [InputEvent] = []
        var offset = 0
        while offset + size <= bytes.count {
            func u16(_ at: Int) -> UInt16 { UInt16(bytes[offset + at]) | UInt16(bytes[offset + at + 1]) << 8 }
            let raw = UInt32(bytes[offset + 20]) | UInt32(bytes[offset + 21]) << 8 | UInt32(bytes[offset + 22]) << 16 | UInt32(bytes[offset + 23]) << 24
            events.append(InputEvent(type: u16(16), code: u16(18), value: Int32(bitPattern: raw)))
            offset += size
        }
        return (events, Array(bytes[offset...]))
    }

    /// The record's bytes (recording test streams).
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        out += [UInt8(type & 0xFF), UInt8(type >> 8), UInt8(code & 0xFF), UInt8(code >> 8)]
        let raw = UInt32(bitPattern: value)
        out += [UInt8(raw & 0xFF), UInt8((raw >> 8) & 0xFF), UInt8((raw >> 16) & 0xFF), UInt8(raw >> 24)]
        return out
    }
}

/// A touch as the screen sees it: where (raw device units), when it went down and up.
public struct Touch: Sendable, Hashable {
    /// Raw device coordinates.
    public var x: Int32, y: Int32

    /// A touch at raw (x, y).
    public init(x: Int32, y: Int32) {
        self.x = x
        self.y = y
    }
}

/// Turns a touch device's events into taps: multitouch protocol B (slots and tracking ids),
/// single-touch (ABS_X/ABS_Y with BTN_TOUCH), and `SYN_DROPPED` (everything until the next
/// SYN_REPORT is dropped and the contacts are forgotten: a tap half-seen is no tap).
public struct TouchTracker: Sendable {
    private var slot = 0
    private var contacts: [Int: (id: Int32, x: Int32, y: Int32)] = [:]
    private var pending: [Int: (id: Int32, x: Int32, y: Int32)] = [:]
    private var single: (x: Int32, y: Int32, down: Bool) = (0, 0, false)
    private var singlePending: (x: Int32, y: Int32, down: Bool) = (0, 0, false)
    private var dropping = false
    private var multitouch = false

    /// A tracker with no contacts.
    public init() {}

    /// Feeds one event; returns the taps that ended (lifted) at this report.
    public mutating func feed(_ event: InputEvent) -> [Touch] {
        typealias C = InputEvent.Code
        if event.type == C.synchronize && event.code == C.dropped {
            dropping = true
            return []
        }
        if dropping {
            if event.type == C.synchronize && event.code == C.report {
                dropping = false
                contacts = [:]
                pending = [:]
                single.down = false
                singlePending = single
            }
            return []
        }
        switch (event.type, event.code) {
        case (C.absolute, C.slot):
            multitouch = true
            slot = Int(event.value)
        case (C.absolute, C.trackingID):
            multitouch = true
            if event.value < 0 {
                pending[slot]?.id = -1
            } else {
                pending[slot] = (event.value, pending[slot]?.x ?? 0, pending[slot]?.y ?? 0)
            }
        case (C.absolute, C.positionX):
            multitouch = true
            pending[slot, default: (-1, 0, 0)].x = event.value
        case (C.absolute, C.positionY):
            multitouch = true
            pending[slot, default: (-1, 0, 0)].y = event.value
        case (C.absolute, C.absX): singlePending.x = event.value
        case (C.absolute, C.absY): singlePending.y = event.value
        case (C.key, C.buttonTouch): singlePending.down = event.value != 0
        case (C.synchronize, C.report):
            var taps: [Touch] = []
            if multitouch {
                for (index, contact) in pending {
                    if contact.id < 0, let before = contacts[index] {
                        taps.append(Touch(x: before.x, y: before.y))
                        contacts[index] = nil
                    } else if contact.id >= 0 {
                        contacts[index] = contact
                    }
                }
                pending = contacts
            } else {
                if single.down && !singlePending.down { taps.append(Touch(x: single.x, y: single.y)) }
                single = singlePending
            }
            return taps
        default:
            break
        }
        return []
    }
}

/// Maps raw touch coordinates onto the screen in millimetres: the device's axis ranges, an
/// affine calibration (libinput's matrix, normalised 0…1) and the panel's rotation.
public struct TouchCalibration: Sendable, Hashable {
    /// The raw ranges (`EVIOCGABS` minimum and maximum).
    public var xRange: ClosedRange<Int32>, yRange: ClosedRange<Int32>
    /// `[a, b, c, d, e, f]`: x' = a·x + b·y + c, y' = d·x + e·y + f, on 0…1 coordinates.
    public var matrix: [Double]
    /// Clockwise rotation of the panel as mounted (the display profile's `rotation`).
    public var rotation: Int

    /// A calibration; identity by default.
    public init(xRange: ClosedRange<Int32>, yRange: ClosedRange<Int32>, matrix: [Double] = [1, 0, 0, 0, 1, 0], rotation: Int = 0) {
        self.xRange = xRange
        self.yRange = yRange
        self.matrix = matrix.count == 6 ? matrix : [1, 0, 0, 0, 1, 0]
        self.rotation = rotation
    }

    /// Where `touch` lands on a screen `width`×`height` mm as the resident sees it.
    public func point(_ touch: Touch, width: Double, height: Double) -> (x: Double, y: Double) {
        // In Double: a device may report anything, and Int32 arithmetic would trap.
        let nx = (Double(touch.x) - Double(xRange.lowerBound)) / max(1, Double(xRange.upperBound) - Double(xRange.lowerBound))
        let ny = (Double(touch.y) - Double(yRange.lowerBound)) / max(1, Double(yRange.upperBound) - Double(yRange.lowerBound))
        var (x, y) = (matrix[0] * nx + matrix[1] * ny + matrix[2], matrix[3] * nx + matrix[4] * ny + matrix[5])
        // The panel is turned clockwise: undo it to reach the picture's coordinates.
        switch ((rotation % 360) + 360) % 360 {
        case 90: (x, y) = (y, 1 - x)
        case 180: (x, y) = (1 - x, 1 - y)
        case 270: (x, y) = (1 - y, x)
        default: break
        }
        return (min(max(x, 0), 1) * width, min(max(y, 0), 1) * height)
    }
}
