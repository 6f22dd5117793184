// Fuzz target: bytes from evdev devices (touch screens, keyboards, PIN pads, anything
// plugged in) and from the terminal a technician types into come from outside Madoguchi.
// sources: Sources/Input/EventStream.swift Sources/Input/Keys.swift
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    // evdev: records in uneven chunks, through the touch tracker and the calibration.
    let chunk = max(1, Int(bytes.first ?? 1))
    var rest: [UInt8] = []
    var tracker = TouchTracker()
    var parsed = 0
    let calibration = TouchCalibration(
        xRange: Int32.min...Int32.max, yRange: 0...Int32(count), matrix: [1.5, -0.5, 0.1, 0.2, 0.9, -0.1], rotation: count * 90)
    var offset = 0
    while offset < bytes.count {
        let (events, left) = InputEvent.parse(rest + bytes[offset..<min(bytes.count, offset + chunk)])
        precondition(left.count < InputEvent.size)
        rest = left
        parsed += events.count
        for event in events {
            _ = KeyMeaning(linuxKey: event.code)
            for touch in tracker.feed(event) {
                let point = calibration.point(touch, width: 527, height: 296)
                precondition((0...527).contains(point.x) && (0...296).contains(point.y))
            }
        }
        offset += chunk
    }
    precondition(parsed == bytes.count / InputEvent.size)
    // The terminal: every byte is taken by some key, or dropped with its sequence.
    var pending = bytes
    while !pending.isEmpty {
        let before = pending.count
        _ = TerminalKey.parse(&pending)
        if pending.count == before { break }  // waits for the rest of a key
    }
    precondition(pending.count <= 34)  // at most an unfinished escape sequence
    return 0
}
