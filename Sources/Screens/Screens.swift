/// The kiosk's screen model: one value per session state, drawn by the terminal and
/// framebuffer renderers.
public enum Screens {
    /// The languages every screen offers, in the order the language button cycles them.
    public static let languages = ["ja", "en", "ja-easy"]
}
