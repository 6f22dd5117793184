/// Input devices: keys, touch and PIN pads (evdev and terminal), arriving with the
/// terminal UI issue.
public enum Input {
    /// Where Linux exposes input event devices.
    public static let eventDeviceDirectory = "/dev/input"
}
