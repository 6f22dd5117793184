internal import CLinuxInput
import Glibc

/// An evdev device (`/dev/input/eventN`): touch screens, keyboards and PIN pads. Keyboards
/// and PIN pads are grabbed (EVIOCGRAB) so a PIN typed on them reaches this process only,
/// never a console or another reader.
public final class EventDevice {
    /// The device path.
    public let path: String
    private let descriptor: Int32
    private var rest: [UInt8] = []
    /// Whether it is a character device (not a recorded stream of events).
    public let isDevice: Bool

    /// Opens `path` without blocking; with `grab`, takes the device for this process alone.
    /// A FIFO or file of `input_event` records (a recorded stream, tests) is read as one.
    public init(path: String, grab: Bool) throws(InputError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(device: path, message: String(cString: strerror(errno)) + " (is the kiosk user in the input group, and the device plugged in?)")
        }
        // A recorded stream (a FIFO or a file of input_event records) has nothing to grab.
        var status = stat()
        isDevice = fstat(descriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR
        if grab, isDevice, madoguchi_evdev_grab(descriptor, 1) != 0 {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw InputError(device: path, message: "cannot grab it: \(reason) (another process holds it, or it is not an input device)")
        }
    }

    deinit { Glibc.close(descriptor) }

    /// An absolute axis's raw range (`ABS_X`, `ABS_MT_POSITION_X`…), or nil.
    public func range(axis: UInt16) -> ClosedRange<Int32>? {
        var info = input_absinfo()
        guard madoguchi_evdev_absinfo(descriptor, UInt32(axis), &info) == 0, info.maximum > info.minimum else { return nil }
        return info.minimum...info.maximum
    }

    /// The events that arrived, waiting up to `timeout` ms; nil when the device is gone
    /// (unplugged: reopen it when it comes back).
    public func events(timeout: Int32) -> [InputEvent]? {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeout)
        if ready > 0 && descriptor.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return nil }
        guard ready > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: InputEvent.size * 64)
        let count = read(self.descriptor, &buffer, buffer.count)
        if count < 0 { return errno == EAGAIN || errno == EINTR ? [] : nil }
        if count == 0 { return nil }
        let (events, rest) = InputEvent.parse(self.rest + buffer[0..<count])
        self.rest = rest
        return events
    }
}

/// The kiosk's virtual terminal locked while the daemon owns the screen: graphics mode (the
/// console draws nothing over the framebuffer) and its keyboard off (Ctrl+Alt+Fn and stray
/// keys lead nowhere). Put back when released or deinitialised.
public final class ConsoleLock {
    private let descriptor: Int32
    private var keyboardMode: Int32 = 0
    private var locked = false

    /// Locks `tty` (e.g. `/dev/tty1`).
    public init(tty: String) throws(InputError) {
        descriptor = open(tty, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError(device: tty, message: String(cString: strerror(errno))) }
        guard madoguchi_vt_get_keyboard(descriptor, &keyboardMode) == 0 else {
            Glibc.close(descriptor)
            throw InputError(device: tty, message: "not a virtual terminal (KDGKBMODE failed); give the kiosk's VT, e.g. /dev/tty1")
        }
        guard madoguchi_vt_set_mode(descriptor, Int32(KD_GRAPHICS)) == 0, madoguchi_vt_set_keyboard(descriptor, Int32(K_OFF)) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = madoguchi_vt_set_mode(descriptor, Int32(KD_TEXT))
            Glibc.close(descriptor)
            throw InputError(device: tty, message: "cannot lock it: \(reason)")
        }
        locked = true
    }

    /// Text mode and the keyboard back as they were.
    public func release() {
        guard locked else { return }
        locked = false
        _ = madoguchi_vt_set_keyboard(descriptor, keyboardMode)
        _ = madoguchi_vt_set_mode(descriptor, Int32(KD_TEXT))
    }

    deinit {
        release()
        Glibc.close(descriptor)
    }
}
