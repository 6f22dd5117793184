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
    private let logger: Logger

    init(device: String, logger: Logger) throws(RenderingError) {
        let framebuffer = try Framebuffer(device: device)
        let mode = framebuffer.mode
        geometry = DisplayGeometry(
            width: mode.width, height: mode.height, widthMM: Double(mode.width) * 25.4 / 96, heightMM: Double(mode.height) * 25.4 / 96)
        state = Mutex(State(target: framebuffer, renderer: ScreenRenderer()))
        self.logger = logger
    }

    func show(_ screen: Screen) {
        let laidOut = ScreenLayout.layout(screen, on: geometry)
        state.withLock { state in
            do throws(RenderingError) {
                try state.target.present(try state.renderer.frame(laidOut))
            } catch {
                logger.error("frame not drawn", metadata: ["screen": "\(screen.id)", "error": "\(error.operation)"])
            }
        }
    }
}
