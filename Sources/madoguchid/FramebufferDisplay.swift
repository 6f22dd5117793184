import Input
import Logging
import Rendering
import Screens
import Synchronization

/// The kiosk on a Linux framebuffer (`[display] renderer = "framebuffer"`): each screen laid
/// out for the display's size (the display profile's millimetres, else 96 dpi), drawn with
/// Cairo and Pango, and turned for the panel's mounting (the unit's rotation: the touch
/// calibration file's, else the profile's) into the framebuffer. A frame that cannot be
/// drawn is logged, never fatal.
final class FramebufferDisplay: Sendable {
    private struct State: ~Copyable {
        var target: Framebuffer
        let renderer: ScreenRenderer
    }

    private let state: Mutex<State>
    private let geometry: DisplayGeometry
    /// The screen as last laid out: where a tap lands.
    private let laidOut = Mutex<LaidOutScreen?>(nil)
    private let logger: Logger

    init(device: String, rotation: Int, sizeMM: (width: Double, height: Double)?, logger: Logger) throws(RenderingError) {
        let framebuffer = try Framebuffer(device: device, rotation: rotation)
        geometry = Self.geometry(mode: framebuffer.mode, rotation: rotation, sizeMM: sizeMM)
        state = Mutex(State(target: framebuffer, renderer: ScreenRenderer()))
        self.logger = logger
    }

    /// The picture as the resident sees it: the panel's pixels and millimetres (as built),
    /// across and down swapped for a quarter turn.
    static func geometry(mode: Framebuffer.Mode, rotation: Int, sizeMM: (width: Double, height: Double)?) -> DisplayGeometry {
        let size = sizeMM ?? (Double(mode.width) * 25.4 / 96, Double(mode.height) * 25.4 / 96)
        return DisplayGeometry(width: mode.width, height: mode.height, widthMM: size.width, heightMM: size.height).turned(rotation)
    }

    /// The display's size in millimetres (taps are mapped onto it).
    var sizeMM: (width: Double, height: Double) { (geometry.widthMM, geometry.heightMM) }

    /// The button at (x, y) millimetres on the screen shown, if any.
    func target(atX x: Double, y: Double) -> String? {
        laidOut.withLock { $0?.target(atX: x, y: y) }
    }

    func show(_ screen: Screen) {
        let laidOut = ScreenLayout.layout(screen, on: geometry)
        self.laidOut.withLock { $0 = laidOut }
        state.withLock { state in
            do throws(RenderingError) {
                try state.target.present(try state.renderer.frame(laidOut))
            } catch {
                logger.error("frame not drawn", metadata: ["screen": "\(screen.id)", "error": "\(error.operation)"])
            }
        }
    }
}
