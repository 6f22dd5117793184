import ArgumentParser
import ControlProtocol
import DaemonSupport
import AsyncHTTPClient
import Flows
import KioskMetrics
import Foundation
import KioskRuntime
import KioskSession
import Logging
import MadoguchiConfig
import MadoguchiCore
import Outbox
import OutboxStore
import Rendering
import Screens
import ServiceLifecycle
import Sync

/// `madoguchid`: the kiosk daemon. Reads the configuration (every problem at once, then
/// exit 78), opens the outbox (marking prints a restart cut short), loads the form, and runs
/// the kiosk, the sync worker and the control socket under swift-service-lifecycle.
@main
struct Madoguchid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchid",
        abstract: "窓口端末のデーモン / The Madoguchi kiosk daemon.",
        discussion: """
            終了コード: 0 正常終了、78 設定の誤り、69 必要なもの(出力キーなど)が使えない。
            Exit status: 0 stopped, 78 configuration error, 69 something it needs (the outbox key …) is unusable.
            """,
        version: MadoguchiVersion.string)

    @Option(name: .long, help: "設定ファイル / Configuration file (default: $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    @Flag(name: .long, help: "この端末に画面を表示し、キーで操作します / Draw the kiosk in this terminal and take keys from it.")
    var terminal = false

    @Flag(name: .long, help: "設定ファイルと、それが指すファイルを確かめて終了します / Check the configuration and the files it names, then exit (0 valid, 78 not).")
    var checkConfig = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let sensitive = SensitiveValues()
        let configPath = ConfigurationFile.path(option: config, environment: environment)
        let settings: DaemonSettings
        switch DaemonSettings.load(path: configPath, environment: environment, outsideService: checkConfig) {
        case .success(let loaded): settings = loaded
        case .failure(let error):
            // The contract's lines, as they are: PATH:LINE:COL: error: [table] key: …
            for problem in error.problems {
                FileHandle.standardError.write(Data((problem.line(in: .japanese) + "\n" + problem.line(in: .english) + "\n").utf8))
            }
            throw ExitCode(78)
        }
        let staffCheck = try Self.staffCheck(settings)
        if checkConfig {
            Self.report(settings, path: configPath, environment: environment)
            return
        }
        // Drawn in a terminal whose standard error is that terminal, only errors are logged:
        // lines would be written over the screen. Under systemd standard error is the journal.
        let quiet = (terminal || settings.terminalRenderer) && isatty(2) == 1
        LoggingSystem.bootstrap { label in
            var handler = JournalLogHandler(label: label)
            handler.logLevel = quiet ? .error : .info
            return PrivacyGuardLogHandler(handler, sensitive: sensitive)
        }
        let logger = Logger(label: "madoguchid")
        logger.info("starting", metadata: ["version": "\(MadoguchiVersion.string)", "config.path": "\(configPath)", "kiosk.id": "\(settings.kioskId)"])

        // The form.
        let formsDirectory = settings.formsDirectory
        let formID = settings.form ?? FormCatalog.bundleFolders(in: formsDirectory).first.map { ($0 as NSString).lastPathComponent } ?? ""
        let bundle: FormBundle
        switch FormBundleLoader.load(folder: formsDirectory + "/" + formID) {
        case .success(let loaded): bundle = loaded.bundle
        case .failure(let failure):
            Self.complain("\(formsDirectory)/\(formID): フォームを読み込めません / cannot load the form:")
            for diagnostic in failure.diagnostics { Self.complain("  \(diagnostic)") }
            throw ExitCode(78)
        }

        // The outbox: durable before anything is printed.
        let outbox: OutboxDatabase
        do throws(OutboxError) {
            let key = try OutboxKey.load(from: .configured(keyFile: settings.outbox.keyFile, keyCredential: settings.outbox.keyCredential, environment: environment))
            let limits = OutboxLimits(maxSubmissions: settings.outbox.maxPending, minFreeBytes: Int64(settings.outbox.minFreeMegabytes) << 20)
            outbox = try OutboxDatabase(path: settings.outbox.path, key: key, limits: limits)
            let recovered = try outbox.recoverAfterRestart()
            if recovered.interrupted > 0 {
                logger.warning("prints cut short by a restart recorded", metadata: ["count": "\(recovered.interrupted)"])
            }
        } catch {
            Self.complain(error.description)
            throw ExitCode(69)
        }

        // Sending to the back office, when a URL is set.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var worker: SyncWorker?
        var client: HTTPClient?
        do {
            if let sync = try SyncSettings.from(settings.backoffice, environment: environment) {
                let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: try sync.clientConfiguration())
                client = http
                let created = SyncWorker(outbox: outbox, settings: sync, client: http, logger: logger)
                worker = created
                services.append(.init(service: SyncService(worker: created, logger: logger)))
            }
        } catch {
            Self.complain("\(error)")
            throw ExitCode(78)
        }

        // The display profile and this unit's touch calibration: the picture's size and turn,
        // and where a tap lands. A calibration file that cannot be used is logged (never its
        // content) and the profile's mapping used.
        let profile: DisplayProfile?
        switch settings.configuration.displayProfile() {
        case .success(let read): profile = read
        case .failure(let error):
            profile = nil
            logger.warning("display profile not used", metadata: ["profile": "\(settings.configuration.display.profile ?? "")", "problems": "\(error.problems.count)"])
        case nil: profile = nil
        }
        let (touchMapping, unreadable) = TouchMapping.load(calibrationFile: settings.configuration.touchCalibrationPath, profile: profile)
        if let unreadable {
            logger.warning(
                "touch calibration file not used; the display profile's mapping instead (run madoguchi diag touch)",
                metadata: ["path": "\(unreadable.path)", "problems": "\(unreadable.problems)"])
        }
        let display: TerminalUI?
        var framebuffer: FramebufferDisplay?
        if terminal || settings.terminalRenderer {
            do {
                display = try TerminalUI()
            } catch {
                Self.complain(error.description)
                throw ExitCode(69)
            }
        } else {
            display = nil
            do throws(RenderingError) {
                framebuffer = try FramebufferDisplay(
                    device: settings.displayDevice, rotation: touchMapping.rotation, sizeMM: profile.map { ($0.widthMM, $0.heightMM) }, logger: logger)
            } catch {
                Self.complain("\(error)")
                Self.complain(
                    "画面(\(settings.displayDevice))を使えません。[display] device を確かめるか、端末で動かすときは renderer = \"terminal\" にしてください。 / "
                        + "cannot use the display \(settings.displayDevice); check [display] device, or set renderer = \"terminal\" to run in a terminal.")
                throw ExitCode(69)
            }
        }
        // The screen is the daemon's from here: the kiosk's VT in graphics mode with its
        // keyboard off until the end of this function, however it ends (a thrown error, the
        // end of the service group after SIGTERM or SIGINT). A crash or SIGKILL leaves that
        // to the unit's TTYReset=yes.
        let console = KioskConsole(tty: settings.console, logger: logger)
        defer { console.release() }
        let metrics = MetricsRecorder()
        let notifier = SystemdNotifier(environment: environment)
        let session = SessionConfiguration(
            bundle: bundle, mode: settings.mode, today: Self.todayInJapan(), inactivity: settings.idleSeconds,
            moreTimeGrace: settings.idleWarningSeconds, sessionMax: settings.timeouts.sessionMaxSeconds,
            pinEntry: settings.timeouts.pinEntrySeconds, cardRead: settings.timeouts.cardReadSeconds,
            printConfirm: settings.timeouts.printConfirmSeconds, staffSignIn: staffCheck != nil,
            staffSignOutAfter: settings.staff.lockAfterSeconds)
        let runtime = try KioskRuntime(
            settings: .init(
                session: session, kioskId: settings.kioskId, language: ScreenLanguage(rawValue: settings.language) ?? .ja,
                readerMatch: settings.readerMatch, allowVirtualReader: settings.allowVirtualReader,
                printers: PrinterQueues(a4: settings.a4Queue, receipt: settings.receiptQueue, server: settings.cupsServer, jobTimeout: .seconds(settings.printJobSeconds)),
                spoolDirectory: Self.spoolDirectory(environment), staffCheck: staffCheck),
            outbox: outbox, sensitive: sensitive, logger: logger,
            display: { [framebuffer] screen in
                display?.show(screen)
                framebuffer?.show(screen)
            },
            onEnqueued: { [worker] in worker?.wake() },
            onMetric: { metric in Self.record(metric, into: metrics) })
        // The control socket: bound before READY=1, so `madoguchi status` works as soon as
        // systemd reports the unit started. Without it the kiosk still serves residents.
        let control = DaemonControl(
            runtime: runtime, outbox: outbox, worker: worker, metrics: metrics, kioskId: settings.kioskId, mode: settings.mode.rawValue,
            printerQueue: settings.a4Queue, cupsServer: settings.cupsServer, console: console.status)
        let socketPath = ControlSocket.path(environment: environment)
        try? FileManager.default.createDirectory(
            atPath: (socketPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        do throws(ControlServerError) {
            let server = try ControlServer(path: socketPath) { request in await control.handle(request) }
            services.append(.init(service: ControlService(server: server, logger: logger)))
            logger.info("control socket listening", metadata: ["socket": "\(socketPath)"])
        } catch {
            logger.warning("control socket not available", metadata: ["socket": "\(socketPath)", "error": "\(error.message.en)"])
        }
        if settings.metricsEnabled {
            services.append(.init(service: MetricsEndpoint.application(host: settings.metricsHost, port: settings.metricsPort, metrics: metrics, logger: logger)))
        }
        // Touch, keypad and PIN pad through evdev (a terminal kiosk reads named devices only).
        let devices = EvdevInput.devices(
            touch: settings.configuration.input.touch, keyboard: settings.configuration.input.keyboard,
            framebuffer: framebuffer != nil)
        let evdev = devices.isEmpty ? nil : EvdevInput(devices: devices, display: framebuffer, touchMapping: touchMapping, logger: logger)
        services.insert(
            .init(service: KioskService(
                runtime: runtime, terminal: display, evdev: evdev, logger: logger, drainTimeout: .seconds(settings.printJobSeconds), notifier: notifier,
                watchdog: SystemdNotifier.watchdogInterval(environment: environment))), at: 0)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            display?.restore()
            logger.error("stopped with an error", metadata: ["error.kind": "\(type(of: error))"])
        }
        display?.restore()
        console.release()
        logger.info("services stopped")
        try? await client?.shutdown()
        try? outbox.close()
        logger.info("stopped")
        if terminal { Self.say(BilingualText(ja: "終了しました。", en: "Stopped.")) }
    }

    /// Staff sign-in: the passcode's hash, read once; nil when staff do not sign in here. A
    /// hash that cannot be read stops the start (the configuration says staff may sign in,
    /// and they could not), exit 78.
    static func staffCheck(_ settings: DaemonSettings) throws -> (@Sendable ([UInt8]) -> Bool)? {
        guard settings.staff.enabled else { return nil }
        do {
            let text = try String(contentsOfFile: settings.staff.passcodeHashFile, encoding: .utf8)
            let hash = try StaffPasscode.parseHash(text)
            return { typed in StaffPasscode.matches(typed, hash: hash) }
        } catch let problem as StaffPasscode.Problem {
            complain("[staff] passcodeHashFile: \(problem)")
        } catch {
            complain("[staff] passcodeHashFile: 読めません / cannot be read (\(error.localizedDescription))")
        }
        throw ExitCode(78)
    }

    /// A runtime metric into the aggregates (steps and outcomes the metrics know; others dropped).
    static func record(_ metric: RuntimeMetric, into metrics: MetricsRecorder) {
        switch metric {
        case .step(let form, let step, let seconds):
            if let step = SessionStep(rawValue: step) { metrics.recordStep(form: form, step: step, seconds: seconds) }
        case .session(let form, let outcome, let abandonedAt):
            guard let outcome = SessionOutcome(rawValue: outcome) else { return }
            metrics.recordSession(form: form, outcome: outcome, endedAt: abandonedAt.flatMap(SessionStep.init(rawValue:)))
        }
    }

    /// A line on standard error for whoever started the daemon (systemd shows it).
    static func complain(_ text: String) {
        FileHandle.standardError.write(Data("madoguchid: \(text)\n".utf8))
    }

    /// `--check-config`: the file is valid; what was not checked here, and why.
    static func report(_ settings: DaemonSettings, path: String, environment: [String: String]) {
        say("設定に問題はありません: \(path)")
        say("The configuration is valid: \(path)")
        guard environment["CREDENTIALS_DIRECTORY", default: ""].isEmpty else { return }
        let backoffice = settings.backoffice.url == nil ? [] : [settings.backoffice.tokenCredential, settings.backoffice.clientKeyCredential]
        for credential in ([settings.outbox.keyCredential] + backoffice).compactMap({ $0 }) {
            say("資格情報 \(credential) は systemd がサービスの起動時に渡すため、ここでは確かめていません(鍵は madoguchi keys check で確かめられます)。")
            say("The credential \(credential) is handed over by systemd when it starts the service, so it was not checked here (check the key with `madoguchi keys check`).")
        }
    }

    static func say(_ text: some CustomStringConvertible) {
        FileHandle.standardOutput.write(Data("\(text)\n".utf8))
    }

    /// The session date in Japan time (UTC+9, no daylight saving).
    static func todayInJapan() -> CalendarDate {
        CalendarDate.inJapan(secondsSince1970: Int(Date().timeIntervalSince1970)) ?? CalendarDate(iso: "2026-01-01")!
    }

    /// Where PDFs wait while their job runs: systemd's RuntimeDirectory, else a private
    /// folder under the temporary directory.
    static func spoolDirectory(_ environment: [String: String]) -> String {
        if let runtime = environment["RUNTIME_DIRECTORY"], !runtime.isEmpty { return runtime + "/print" }
        return NSTemporaryDirectory() + "madoguchid-\(getpid())"
    }
}

/// The sync worker as a service: sends until graceful shutdown.
struct SyncService: Service {
    let worker: SyncWorker
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown { await worker.run() }
        logger.info("sync stopped")
    }
}
