import Input
import Logging
import Rendering
import Screens
import Synchronization

/// The kiosk on a Linux framebuffer (`[display] renderer = "framebuffer"`): each screen laid
/// out for the display's size (96 dpi unless a profile says otherwise) and drawn with Cairo
/// and Pango into the framebuffer. A frame that cannot be drawn is logged, never fatal.
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

    init(device: String, logger: Logger) throws(RenderingError) {
        let framebuffer = try Framebuffer(device: device)
        let mode = framebuffer.mode
        geometry = DisplayGeometry(
            width: mode.width, height: mode.height, widthMM: Double(mode.width) * 25.4 / 96, heightMM: Double(mode.height) * 25.4 / 96)
        state = Mutex(State(target: framebuffer, renderer: ScreenRenderer()))
        self.logger = logger
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
