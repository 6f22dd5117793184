import Foundation
import Input
import KioskRuntime
import KioskSession
import Logging
import MadoguchiConfig
import Screens
import Synchronization

/// The kiosk's touch screen, keypad and PIN pad through evdev (`[input]`): each device read
/// on a thread of its own, keys as the keypad keys of the terminal UI (digits, Enter,
/// Backspace, Esc, F1–F5, F12 for staff), taps as the button under the finger on the
/// framebuffer's screen. Keyboards and PIN pads are grabbed, so a PIN typed on them reaches
/// this process only. A device that is unplugged (or not there yet) is opened again every
/// two seconds; the daemon serves the other devices meanwhile.
final class EvdevInput: Sendable {
    /// One device to read.
    struct Device: Sendable, Hashable {
        enum Kind: Sendable, Hashable { case keyboard, touch }
        let path: String
        let kind: Kind
    }

    /// What a device reported, before the screen on show gives it a meaning.
    enum Raw: Sendable {
        case key(KeyMeaning)
        /// A tap, in millimetres on the display.
        case tap(x: Double, y: Double)
    }

    let devices: [Device]
    private let display: FramebufferDisplay?
    /// This unit's matrix and rotation (`touch-calibration.toml` over the display profile).
    let touchMapping: TouchMapping
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    init(devices: [Device], display: FramebufferDisplay?, touchMapping: TouchMapping, logger: Logger) {
        self.devices = devices
        self.display = display
        self.touchMapping = touchMapping
        self.logger = logger
    }

    /// The devices `[input]` names. `auto` finds keyboards (`/dev/input/by-path/*-event-kbd`)
    /// and touch screens (devices with multitouch axes) on a framebuffer kiosk; on a terminal
    /// kiosk the terminal is the keyboard and `auto` finds nothing (a developer's own
    /// keyboard is never grabbed), while a named path is read all the same.
    static func devices(touch: InputSettings.Device, keyboard: InputSettings.Device, framebuffer: Bool) -> [Device] {
        var found: [Device] = []
        switch keyboard {
        case .path(let path): found.append(Device(path: path, kind: .keyboard))
        case .auto where framebuffer:
            let folder = "/dev/input/by-path"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            found += names.filter { $0.hasSuffix("-event-kbd") }.sorted().map { Device(path: folder + "/" + $0, kind: .keyboard) }
        case .auto, .disabled: break
        }
        switch touch {
        case .path(let path): found.append(Device(path: path, kind: .touch))
        case .auto where framebuffer:
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/input")) ?? []).filter { $0.hasPrefix("event") }.sorted()
            for name in names {
                let path = "/dev/input/" + name
                if let device = try? EventDevice(path: path, grab: false), device.range(axis: InputEvent.Code.positionX) != nil {
                    found.append(Device(path: path, kind: .touch))
                }
            }
        case .auto, .disabled: break
        }
        return found
    }

    /// Reads every device until the task is cancelled, giving each key or tap its meaning on
    /// the screen the runtime shows.
    func run(_ runtime: KioskRuntime) async {
        guard !devices.isEmpty else { return }
        let (stream, continuation) = AsyncStream.makeStream(of: Raw.self, bufferingPolicy: .bufferingNewest(64))
        let finished = devices.map { device in
            let (done, finish) = AsyncStream.makeStream(of: Void.self)
            let thread = Thread { [self] in
                self.read(device, into: continuation)
                finish.finish()
            }
            thread.name = "madoguchi-input"
            thread.start()
            return done
        }
        logger.info("input devices", metadata: ["count": "\(devices.count)"])
        await withTaskCancellationHandler {
            for await raw in stream {
                let screen = await runtime.screen
                if let input = meaning(raw, on: screen) { await runtime.input(input) }
            }
        } onCancel: {
            stopped.store(true, ordering: .relaxed)
            continuation.finish()
        }
        for done in finished { for await _ in done {} }
    }

    /// What a key or tap means on `screen`.
    func meaning(_ raw: Raw, on screen: Screen) -> KioskInput? {
        switch raw {
        case .key(let key): TerminalUI.input(.meaning(key), on: screen)
        case .tap(let x, let y): display?.target(atX: x, y: y).map(KioskInput.action)
        }
    }

    /// One device's loop, on its own thread: open (again), read, report.
    private func read(_ device: Device, into continuation: AsyncStream<Raw>.Continuation) {
        var complained = false
        while !stopped.load(ordering: .relaxed) {
            var opened: EventDevice?
            do {
                opened = try EventDevice(path: device.path, grab: device.kind == .keyboard)
            } catch {
                if !complained {
                    logger.warning("input device not available", metadata: ["device": "\(device.path)", "error": "\(error.message)"])
                    complained = true
                }
                Thread.sleep(forTimeInterval: 2)
                continue
            }
            if complained { logger.info("input device back", metadata: ["device": "\(device.path)"]) }
            complained = false
            if let reading = opened {
                opened = nil
                drain(reading, kind: device.kind, into: continuation)  // returns when it is gone, or on stop; then closed
            }
            if !stopped.load(ordering: .relaxed) {
                logger.warning("input device gone", metadata: ["device": "\(device.path)"])
                Thread.sleep(forTimeInterval: 2)
            }
        }
    }

    /// Reads `device` until it is gone (unplugged) or the service stops; the device is
    /// closed (and its grab released) when this returns.
    private func drain(_ device: EventDevice, kind: Device.Kind, into continuation: AsyncStream<Raw>.Continuation) {
        var tracker = TouchTracker()
        let calibration = kind == .touch ? Self.calibration(device, mapping: touchMapping) : nil
        while !stopped.load(ordering: .relaxed) {
            guard let events = device.events(timeout: 250) else { return }
            for event in events {
                switch kind {
                case .keyboard:
                    // Presses only: a held key does not repeat a digit into the PIN.
                    guard event.type == InputEvent.Code.key, event.value == 1, let key = KeyMeaning(linuxKey: event.code) else { continue }
                    continuation.yield(.key(key))
                case .touch:
                    for touch in tracker.feed(event) {
                        guard let calibration, let size = display?.sizeMM else { continue }
                        let point = calibration.point(touch, width: size.width, height: size.height)
                        continuation.yield(.tap(x: point.x, y: point.y))
                    }
                }
            }
        }
    }

    /// The touch screen's axes (multitouch first) with this unit's matrix and rotation; nil
    /// when it has no axes (a recorded stream).
    static func calibration(_ device: EventDevice, mapping: TouchMapping) -> TouchCalibration? {
        guard let axes = ranges(device) else { return nil }
        return TouchCalibration(xRange: axes.0, yRange: axes.1, matrix: mapping.matrix, rotation: mapping.rotation)
    }

    /// The raw ranges of a touch device's axes, multitouch first.
    static func ranges(_ device: EventDevice) -> (ClosedRange<Int32>, ClosedRange<Int32>)? {
        if let x = device.range(axis: InputEvent.Code.positionX), let y = device.range(axis: InputEvent.Code.positionY) { return (x, y) }
        if let x = device.range(axis: InputEvent.Code.absX), let y = device.range(axis: InputEvent.Code.absY) { return (x, y) }
        return nil
    }
}
