import Contracts
import ControlProtocol
import DaemonSupport
import Diagnostics
import MadoguchiConfig
import MadoguchiCore

/// The `system` section: the configuration file, the daemon, the clock, free disk.
enum SystemChecks {
    /// What the control socket said: the daemon's status when it runs, and the line.
    struct Daemon {
        var status: DaemonStatus?
        var check: DiagnosticCheck
    }

    static func section(configuration: KioskConfiguration?, file: DiagnosticCheck, daemon: Daemon) -> DiagnosticSection {
        var checks = [file, daemon.check, clock()]
        if let configuration {
            checks.append(disk(configuration.kiosk.stateDirectory, minimumMegabytes: configuration.outbox.minFreeMegabytes))
        }
        return DiagnosticSection(id: "system", title: BilingualText(ja: "システム", en: "System"), checks: checks)
    }

    /// ✓ the configuration was read (its kiosk id is no personal data).
    static func readable(_ path: String, _ configuration: KioskConfiguration) -> DiagnosticCheck {
        .ok("config", ja: "設定ファイル \(path) を読みました(端末 \(configuration.kiosk.id))。", en: "Read the configuration \(path) (kiosk \(configuration.kiosk.id)).")
    }

    /// ✗ the configuration cannot be read; its problems follow on standard error.
    static func unreadable(_ path: String, _ error: ConfigurationError) -> DiagnosticCheck {
        let first = error.problems.first.map { $0.message.ja } ?? ""
        let firstEnglish = error.problems.first.map { " \($0.message.en)" } ?? ""
        return .failure(
            "config",
            BilingualText(
                ja: "設定ファイル \(path) を使えません(問題 \(error.problems.count) 件)。\(first)",
                en: "The configuration \(path) cannot be used (\(error.problems.count) problem(s)).\(firstEnglish)"),
            next: BilingualText(
                ja: "madoguchid --check-config で全ての問題と場所を確かめ、直してからもう一度 madoguchi diag を実行してください。",
                en: "Run madoguchid --check-config to see every problem and its place, fix them, then run madoguchi diag again."))
    }

    /// Asks the daemon for its status over the control socket.
    static func daemon() -> Daemon {
        let path = ControlSocket.path()
        let restart = BilingualText(
            ja: "systemctl status madoguchid と journalctl -u madoguchid で理由を確かめ、systemctl start madoguchid で起動してください。",
            en: "See why with systemctl status madoguchid and journalctl -u madoguchid; start it with systemctl start madoguchid.")
        do throws(ControlClientError) {
            switch try ControlClient.send(.status, path: path, timeout: .seconds(3)) {
            case .success(.status(let status)):
                if let tty = status.console.tty, !status.console.locked { return Daemon(status: status, check: unlockedConsole(tty, status)) }
                return Daemon(
                    status: status,
                    check: .ok(
                        "daemon", ja: "madoguchid は動いています(画面: \(status.session.phase)、版 \(status.version))。",
                        en: "madoguchid is running (session phase \(status.session.phase), version \(status.version))."))
            case .success:
                return Daemon(
                    status: nil,
                    check: .warning(
                        "daemon", BilingualText(ja: "madoguchid が別の種類の応答を返しました。", en: "madoguchid answered with a different kind of result."),
                        next: BilingualText(ja: "madoguchi と madoguchid の版が同じか確かめてください。", en: "Check that madoguchi and madoguchid are the same version.")))
            case .failure(let error):
                return Daemon(status: nil, check: .warning("daemon", error.message, next: restart))
            }
        } catch .noDaemon {
            return Daemon(
                status: nil,
                check: .warning(
                    "daemon", BilingualText(ja: "madoguchid は動いていません(\(path))。", en: "madoguchid is not running (\(path))."), next: restart))
        } catch {
            return Daemon(status: nil, check: .warning("daemon", error.message, next: restart))
        }
    }

    /// ⚠ the daemon runs but could not lock `[display] console`: text may show over the kiosk.
    static func unlockedConsole(_ tty: String, _ status: DaemonStatus) -> DiagnosticCheck {
        .warning(
            "daemon",
            BilingualText(
                ja: "madoguchid は動いています(画面: \(status.session.phase)、版 \(status.version))が、仮想端末 \(tty) を固定できていません。画面に文字やログインの表示が重なることがあります。",
                en: "madoguchid is running (session phase \(status.session.phase), version \(status.version)) but could not lock the virtual terminal \(tty): the kernel's text console may draw over the screen."),
            next: BilingualText(
                ja: "journalctl -u madoguchid で理由を確かめ、madoguchid.service に TTYPath=\(tty)、StandardInput=tty-force、DeviceAllow=\(tty) rw があるか確かめてから、systemctl restart madoguchid を実行してください。",
                en: "See why with journalctl -u madoguchid; check that madoguchid.service has TTYPath=\(tty), StandardInput=tty-force and DeviceAllow=\(tty) rw, then run systemctl restart madoguchid."))
    }

    /// The kernel's word on clock synchronisation (adjtimex).
    static func clock() -> DiagnosticCheck {
        let next = BilingualText(
            ja: "timedatectl status で NTP 同期を確かめ、systemd-timesyncd か chrony を有効にしてネットワークにつないでください(移動車両はずれやすい)。",
            en: "Check NTP with timedatectl status; enable systemd-timesyncd or chrony and connect the network (vehicles drift while offline).")
        switch SystemProbe.clockSynchronized() {
        case true?:
            return .ok("clock", ja: "時計は同期しています。", en: "The clock is synchronised.")
        case false?:
            return .warning("clock", BilingualText(ja: "時計が同期していません。", en: "The clock is not synchronised."), next: next)
        case nil:
            return .warning("clock", BilingualText(ja: "時計の同期状態を確かめられません。", en: "Cannot tell whether the clock is synchronised."), next: next)
        }
    }

    /// Free space where per-unit state and the outbox live.
    static func disk(_ directory: String, minimumMegabytes: Int) -> DiagnosticCheck {
        guard let bytes = SystemProbe.availableBytes(at: directory) else {
            return .failure(
                "disk", BilingualText(ja: "状態ディレクトリ \(directory) がありません。", en: "The state directory \(directory) does not exist."),
                next: BilingualText(
                    ja: "[kiosk] stateDirectory を確かめ、パッケージを入れ直すか、madoguchi 利用者の書けるディレクトリを作ってください。",
                    en: "Check [kiosk] stateDirectory; reinstall the package, or create the directory writable by the madoguchi user."))
        }
        let megabytes = bytes >> 20
        let text = BilingualText(ja: "\(directory) の空き容量 \(megabytes) MB。", en: "\(megabytes) MB free on \(directory).")
        let next = BilingualText(
            ja: "df -h \(directory) で確かめ、不要なファイル(古いログ: journalctl --vacuum-size=100M)を消してください。",
            en: "Check with df -h \(directory); remove what is not needed (old logs: journalctl --vacuum-size=100M).")
        if megabytes < Int64(minimumMegabytes) {
            return .failure(
                "disk",
                BilingualText(
                    ja: text.ja + "[outbox] minFreeMegabytes(\(minimumMegabytes))未満のため新しい申請を受け付けません。",
                    en: text.en + " Below [outbox] minFreeMegabytes (\(minimumMegabytes)): new submissions are refused."),
                next: next)
        }
        if megabytes < Int64(minimumMegabytes) * 4 {
            return .warning(
                "disk",
                BilingualText(
                    ja: text.ja + "[outbox] minFreeMegabytes(\(minimumMegabytes))に近づいています。",
                    en: text.en + " Close to [outbox] minFreeMegabytes (\(minimumMegabytes))."),
                next: next)
        }
        return DiagnosticCheck("disk", .ok, text)
    }
}
