import ControlProtocol
import Input
import Logging

/// `[display] console`: the kiosk's virtual terminal, locked (graphics mode, keyboard off)
/// from the moment the daemon owns the screen until it stops, so neither the kernel's text
/// console, a login prompt nor a key typed on a keyboard draws over the kiosk.
///
/// A VT that cannot be locked does not stop the kiosk (residents can still be served): it
/// is a warning in the journal naming the VT and the unit lines it needs, and
/// `madoguchi status` shows the console as not locked.
final class KioskConsole {
    private let lock: ConsoleLock?
    /// What `madoguchi status` shows.
    let status: DaemonStatus.Console

    /// Locks `tty` when one is configured; nil: nothing is touched.
    init(tty: String?, logger: Logger) {
        guard let tty else {
            lock = nil
            status = DaemonStatus.Console()
            return
        }
        do throws(InputError) {
            lock = try ConsoleLock(tty: tty)
            status = DaemonStatus.Console(tty: tty, locked: true)
            logger.info("console locked", metadata: ["console": "\(tty)"])
        } catch {
            lock = nil
            status = DaemonStatus.Console(tty: tty, locked: false)
            logger.warning(
                "\(Self.warning(tty))",
                metadata: ["console": "\(tty)", "error": "\(error.message)"])
        }
    }

    /// The warning when `tty` cannot be locked: what it means for the kiosk and the fix.
    static func warning(_ tty: String) -> String {
        let name = tty.split(separator: "/").last.map(String.init) ?? tty
        return "仮想端末 \(tty) を固定できません。画面に文字やログインの表示が重なることがあります。"
            + "madoguchid.service に TTYPath=\(tty)、StandardInput=tty-force、DeviceAllow=\(tty) rw があり、"
            + "getty@\(name).service が止まっているか確かめてください(/usr/share/doc/madoguchi/systemd.md)。 / "
            + "cannot lock the virtual terminal \(tty): the kernel's text console may draw over the screen. "
            + "Check that madoguchid.service has TTYPath=\(tty), StandardInput=tty-force and DeviceAllow=\(tty) rw, "
            + "and that getty@\(name).service is not running (/usr/share/doc/madoguchi/systemd.md)."
    }

    /// Text mode and the keyboard back as they were (also when this goes away).
    func release() {
        lock?.release()
    }
}
