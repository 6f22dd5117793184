import ArgumentParser
import CLISupport
import Contracts
import Foundation
import Input
import MadoguchiConfig
import MadoguchiCore
import Rendering
import Screens

#if canImport(Glibc)
import Glibc
#endif

/// `madoguchi diag touch`: calibrates the touch screen. Five crosses one at a time (the
/// corners inset by a tenth of each side, then the centre), one tap read for each; the
/// least-squares matrix from the device's raw points to the screen; the error before and
/// after in millimetres; and, unless refused or `--dry-run`, `touch-calibration.toml`
/// written into `[kiosk] stateDirectory` for madoguchid (docs/diagnostics.md).
struct TouchCalibrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "touch",
        abstract: "タッチパネルの補正 / Calibrate the touch screen: touch 5 crosses, see the error, write touch-calibration.toml.",
        discussion: """
            madoguchid を止めてから実行します(systemctl stop madoguchid)。5 つの十字に順に触れると、補正前と補正後の誤差(mm)を示し、\
            [kiosk] stateDirectory/touch-calibration.toml に書きます(--dry-run では書きません)。\
            終了コード: 0 書いた(または --dry-run)、1 誤差が大きい・点が一直線などで補正を断った(やり直してください)、\
            2 実行できない(設定、機器、時間切れ、madoguchid が動いている、書き込み)。
            Stop madoguchid first (systemctl stop madoguchid). Touch the 5 crosses in turn; the command shows the error \
            (mm) before and after and writes [kiosk] stateDirectory/touch-calibration.toml (not with --dry-run). \
            Exit status: 0 written (or --dry-run), 1 the fit was refused (too large an error, taps on a line): try again, \
            2 it could not run (configuration, device, timeout, madoguchid running, writing). See docs/diagnostics.md.
            """)

    @Option(help: "設定ファイル / The configuration file (default $MADOGUCHI_CONFIG or /etc/madoguchi/madoguchi.toml).")
    var config: String?

    @Option(help: "タッチパネルの evdev(既定は [input] touch) / The touch screen's evdev device (default [input] touch).")
    var device: String?

    @Option(
        name: .customLong("raw-range"),
        help: """
            生の座標範囲 XMIN:XMAX,YMIN:YMAX(記録したストリームや範囲を返さない機器用。既定は EVIOCGABS) / \
            The raw axis ranges XMIN:XMAX,YMIN:YMAX, for recorded streams and devices without ranges (default: EVIOCGABS).
            """)
    var rawRange: String?

    @Option(help: "十字 1 つあたりの待ち時間(秒) / Seconds to wait for each tap.")
    var timeout: Int = 30

    @Option(name: .customLong("max-error"), help: "許す最大の誤差(mm) / The largest error accepted after the fit, in mm.")
    var maxError: Double = 5

    @Flag(name: .customLong("dry-run"), help: "結果を示すだけで書きません / Report only; write nothing.")
    var dryRun = false

    /// What the technician touches, in order, as the terminal names it.
    static let places = [
        BilingualText(ja: "左上", en: "top left"), BilingualText(ja: "右上", en: "top right"), BilingualText(ja: "右下", en: "bottom right"),
        BilingualText(ja: "左下", en: "bottom left"), BilingualText(ja: "中央", en: "centre"),
    ]

    func validate() throws {
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout: 1–600 秒 / 1–600 seconds") }
        guard maxError > 0, maxError <= 100 else { throw ValidationError("--max-error: 0–100 mm") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigurationFile.path(option: config, environment: environment)
        let configuration: KioskConfiguration
        switch KioskConfiguration.load(path: path) {
        case .success(let loaded): configuration = loaded
        case .failure(let error):
            Self.stop(
                BilingualText(
                    ja: "設定ファイル \(path) を使えません(問題 \(error.problems.count) 件)。",
                    en: "The configuration \(path) cannot be used (\(error.problems.count) problem(s))."),
                next: BilingualText(ja: "madoguchid --check-config で確かめて直してください。", en: "See them with madoguchid --check-config and fix them."))
        }
        // A running daemon would take each tap as a press on its own screen.
        if SystemChecks.daemon().status != nil {
            Self.stop(
                BilingualText(ja: "madoguchid が動いています。補正中のタッチを画面の操作として受け取ってしまいます。", en: "madoguchid is running: it would take the taps as presses on its screen."),
                next: BilingualText(
                    ja: "systemctl stop madoguchid で止めてからもう一度実行し、終わったら systemctl start madoguchid で起動してください。",
                    en: "Stop it with systemctl stop madoguchid, run this again, then start it with systemctl start madoguchid."))
        }
        let devicePath = touchDevice(configuration)
        let reader: EventDevice
        do {
            reader = try EventDevice(path: devicePath, grab: false)
        } catch {
            Self.stop(
                BilingualText(ja: "タッチパネル \(devicePath) を開けません: \(error.message)", en: "Cannot open the touch screen \(devicePath): \(error.message)"),
                next: BilingualText(
                    ja: "USB ケーブルを挿し直し、ls /dev/input/by-path/ で名前を確かめて [input] touch か --device を直してください。",
                    en: "Plug the USB cable in again; check the name with ls /dev/input/by-path/ and fix [input] touch or --device."))
        }
        let (xRange, yRange) = ranges(reader)

        // This unit's rotation and the matrix in use now: the calibration file over the profile.
        var profile: DisplayProfile?
        if case .success(let read)? = configuration.displayProfile() { profile = read }
        let calibrationPath = configuration.touchCalibrationPath
        let (current, unreadable) = TouchMapping.load(calibrationFile: calibrationPath, profile: profile)
        if unreadable != nil {
            Output.line(
                BilingualText(
                    ja: "今の補正ファイル \(calibrationPath) は読めないため、無視して単位行列と比べます。",
                    en: "The current calibration \(calibrationPath) cannot be read; it is ignored and the identity is compared instead.").description)
        }
        let rotation = current.rotation
        let (geometry, estimated) = pictureGeometry(configuration, profile: profile, rotation: rotation)
        if estimated {
            Output.line(
                BilingualText(
                    ja: "[display] profile がないため、mm は 96 dpi として換算します。",
                    en: "No [display] profile: millimetres are reckoned at 96 dpi.").description)
        }
        var screen = CalibrationScreen(configuration, rotation: rotation, geometry: geometry)

        // The five taps.
        let targets = TouchCalibrationFit.targets(inset: 0.1)
        var taps = TapReader(device: reader)
        var samples: [TouchCalibrationFit.Sample] = []
        Output.line(BilingualText(ja: "タッチパネル \(devicePath) の補正を始めます。", en: "Calibrating the touch screen \(devicePath).").description)
        for (index, target) in targets.enumerated() {
            let progress = "\(index + 1)/\(targets.count)"
            screen.show(target, number: index + 1, of: targets.count)
            let place = Self.places[index]
            Output.line(
                BilingualText(
                    ja: "\(progress) 画面の\(place.ja)の十字の中心に触れてください。", en: "\(progress) Touch the centre of the cross at the \(place.en) of the screen.").description)
            switch taps.next(within: .seconds(timeout)) {
            case .tap(let touch):
                samples.append(TouchCalibrationFit.Sample(target: target, touch: touch))
                Output.line("  ✓ (\(touch.x), \(touch.y))")
            case .timedOut:
                screen.clear()
                Self.stop(
                    BilingualText(
                        ja: "\(progress) の十字に \(timeout) 秒触れられませんでした。何も書いていません。",
                        en: "No tap on cross \(progress) within \(timeout) s. Nothing was written."),
                    next: BilingualText(
                        ja: "タッチパネルのケーブルと [input] touch(または --device)を確かめ、もう一度 madoguchi diag touch を実行してください。",
                        en: "Check the touch screen's cable and [input] touch (or --device), then run madoguchi diag touch again."))
            case .gone:
                screen.clear()
                Self.stop(
                    BilingualText(ja: "タッチパネル \(devicePath) が外れました。何も書いていません。", en: "The touch screen \(devicePath) went away. Nothing was written."),
                    next: BilingualText(
                        ja: "USB ケーブルを挿し直し、もう一度 madoguchi diag touch を実行してください。",
                        en: "Plug the USB cable in again, then run madoguchi diag touch again."))
            }
        }
        screen.clear()

        // The fit and its error.
        let before = TouchCalibrationFit.residuals(
            samples, calibration: TouchCalibration(xRange: xRange, yRange: yRange, matrix: current.matrix, rotation: rotation),
            width: geometry.widthMM, height: geometry.heightMM)
        Output.line(
            Self.errorLine(
                before, ja: current.source == .file ? "今の補正での誤差" : "補正なしの誤差", en: current.source == .file ? "Error with the current calibration" : "Error without calibration"))
        let matrix: [Double]
        switch TouchCalibrationFit.fit(samples, xRange: xRange, yRange: yRange, rotation: rotation) {
        case .success(let fitted): matrix = fitted
        case .failure(let refusal):
            let why: BilingualText =
                switch refusal {
                case .tooFewTaps: BilingualText(ja: "タッチが足りません。", en: "Too few taps.")
                case .collinear:
                    BilingualText(
                        ja: "タッチが一直線(または同じ場所)に並んでいて補正できません。", en: "The taps lie on a line (or in one place): no calibration can be fitted.")
                case .degenerate:
                    BilingualText(ja: "タッチから求めた補正が画面を大きく歪めるため使えません。", en: "The fitted calibration would distort the screen too much to use.")
                }
            Self.refuse(why)
        }
        let fitted = TouchCalibration(xRange: xRange, yRange: yRange, matrix: matrix, rotation: rotation)
        let after = TouchCalibrationFit.residuals(samples, calibration: fitted, width: geometry.widthMM, height: geometry.heightMM)
        Output.line(Self.errorLine(after, ja: "補正後の誤差", en: "Error after the fit"))
        guard after.worst <= maxError else {
            Self.refuse(
                BilingualText(
                    ja: "補正後も最大 \(Self.mm(after.worst)) の誤差が残り、上限 \(Self.mm(maxError)) を超えます(十字から外れたタッチがあります)。",
                    en: "After the fit the worst error is \(Self.mm(after.worst)), over the limit of \(Self.mm(maxError)) (a tap missed its cross)."))
        }
        // The rotation already in the file stays; otherwise none is written (the profile's holds).
        var existingRotation: Int?
        if let document = try? DataLoader.load(contentsOf: calibrationPath), case .success(let file) = TouchCalibrationFile.read(document) {
            existingRotation = file.rotation
        }
        let file = TouchCalibrationFile(matrix: matrix, rotation: existingRotation)
        Output.line("matrix = [\(matrix.map { String(format: "%.6f", $0) }.joined(separator: ", "))]")
        if dryRun {
            Output.line(BilingualText(ja: "--dry-run のため何も書いていません。", en: "--dry-run: nothing was written.").description)
            return
        }
        write(file, to: calibrationPath)
    }

    /// The touch device: `--device`, else `[input] touch`, else the first with touch axes.
    func touchDevice(_ configuration: KioskConfiguration) -> String {
        if let device { return device }
        switch configuration.input.touch {
        case .path(let path): return path
        case .auto:
            // The first device sysfs calls a touch screen; else, as the daemon, the first with axes.
            for found in DisplayChecks.inputFolders(sysfs: DisplayChecks.sysfsRoot())
            where DisplayChecks.capabilities(found.folder).isTouchScreen && FileManager.default.fileExists(atPath: "/dev/input/" + found.name) {
                return "/dev/input/" + found.name
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/input")) ?? []).filter { $0.hasPrefix("event") }.sorted()
            for name in names {
                if let device = try? EventDevice(path: "/dev/input/" + name, grab: false), device.range(axis: InputEvent.Code.positionX) != nil
                    || device.range(axis: InputEvent.Code.absX) != nil
                {
                    return "/dev/input/" + name
                }
            }
            Self.stop(
                BilingualText(ja: "タッチパネルが見つかりません(/dev/input/event*)。", en: "No touch screen found (/dev/input/event*)."),
                next: BilingualText(
                    ja: "USB ケーブルを挿し直し、madoguchi diag で display/touch を確かめるか、--device で指定してください。",
                    en: "Plug the USB cable in again; check display/touch with madoguchi diag, or name it with --device."))
        case .disabled:
            Self.stop(
                BilingualText(ja: "[input] touch が none です。", en: "[input] touch is none."),
                next: BilingualText(ja: "[input] touch を設定するか、--device で指定してください。", en: "Set [input] touch, or name the device with --device."))
        }
    }

    /// `--raw-range`, else the device's own ranges (multitouch first).
    func ranges(_ device: EventDevice) -> (ClosedRange<Int32>, ClosedRange<Int32>) {
        if let rawRange {
            guard let ranges = Self.parseRanges(rawRange) else {
                Self.stop(
                    BilingualText(ja: "--raw-range \(rawRange) を読めません。", en: "Cannot read --raw-range \(rawRange)."),
                    next: BilingualText(ja: "XMIN:XMAX,YMIN:YMAX の形で、最小を最大より小さくしてください(例 0:4095,0:4095)。", en: "Write XMIN:XMAX,YMIN:YMAX with each minimum below its maximum (e.g. 0:4095,0:4095)."))
            }
            return ranges
        }
        typealias C = InputEvent.Code
        if let x = device.range(axis: C.positionX), let y = device.range(axis: C.positionY) { return (x, y) }
        if let x = device.range(axis: C.absX), let y = device.range(axis: C.absY) { return (x, y) }
        Self.stop(
            BilingualText(
                ja: "\(device.path) は座標の範囲を返しません(記録したストリームか、範囲のない機器です)。",
                en: "\(device.path) gives no axis ranges (a recorded stream, or a device without them)."),
            next: BilingualText(ja: "--raw-range XMIN:XMAX,YMIN:YMAX で範囲を指定してください。", en: "Give them with --raw-range XMIN:XMAX,YMIN:YMAX."))
    }

    /// `0:4095,0:4095`.
    static func parseRanges(_ text: String) -> (ClosedRange<Int32>, ClosedRange<Int32>)? {
        let axes = text.split(separator: ",", omittingEmptySubsequences: false)
        guard axes.count == 2 else { return nil }
        var ranges: [ClosedRange<Int32>] = []
        for axis in axes {
            // A leading minus belongs to the number: split on the colon after the first character.
            guard let colon = axis.dropFirst().firstIndex(of: ":"), let low = Int32(axis[..<colon].trimmingCharacters(in: .whitespaces)),
                let high = Int32(axis[axis.index(after: colon)...].trimmingCharacters(in: .whitespaces)), low < high
            else { return nil }
            ranges.append(low...high)
        }
        return (ranges[0], ranges[1])
    }

    /// The picture as the resident sees it (turned by `rotation`): pixels and millimetres
    /// from the display profile, else the framebuffer's mode (or 1920×1080) at 96 dpi.
    func pictureGeometry(_ configuration: KioskConfiguration, profile: DisplayProfile?, rotation: Int) -> (DisplayGeometry, estimated: Bool) {
        let name = (configuration.display.device as NSString).lastPathComponent
        let mode: (width: Int, height: Int) =
            DisplayChecks.mode(of: name, sysfs: DisplayChecks.sysfsRoot()) ?? profile.map { (width: $0.width, height: $0.height) } ?? (width: 1920, height: 1080)
        let size = profile.map { ($0.widthMM, $0.heightMM) } ?? (Double(mode.width) * 25.4 / 96, Double(mode.height) * 25.4 / 96)
        let native = DisplayGeometry(width: mode.width, height: mode.height, widthMM: size.0, heightMM: size.1)
        return (native.turned(rotation), profile == nil)
    }

    /// Writes `file` through a temporary file renamed into place (0644; as root, owned by
    /// the madoguchi user when there is one), then reads it back.
    func write(_ file: TouchCalibrationFile, to path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/.touch-calibration.\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let cannot = BilingualText(
            ja: "[kiosk] stateDirectory(\(folder))があり、この利用者が書けるか確かめてください(sudo で実行)。",
            en: "Check [kiosk] stateDirectory (\(folder)) exists and this user may write it (run with sudo).")
        guard descriptor >= 0 else {
            Self.stop(
                BilingualText(ja: "\(folder) にファイルを作れません(\(String(cString: strerror(errno))))。", en: "Cannot create a file in \(folder) (\(String(cString: strerror(errno))))."),
                next: cannot)
        }
        let bytes = Array(file.text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        _ = fchmod(descriptor, 0o644)
        if geteuid() == 0, let user = getpwnam("madoguchi") { _ = fchown(descriptor, user.pointee.pw_uid, user.pointee.pw_gid) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            Self.stop(BilingualText(ja: "\(path) に書けません(\(reason))。", en: "Cannot write \(path) (\(reason))."), next: cannot)
        }
        // Durable: the rename reaches the disk with the folder.
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
        guard let document = try? DataLoader.load(contentsOf: path), case .success = TouchCalibrationFile.read(document) else {
            Self.stop(
                BilingualText(ja: "書いた \(path) を読み返せません。", en: "The written \(path) does not read back."),
                next: BilingualText(ja: "ファイルを消して、もう一度 madoguchi diag touch を実行してください。", en: "Remove it and run madoguchi diag touch again."))
        }
        Output.line(BilingualText(ja: "\(path) に書きました。", en: "Wrote \(path).").description)
        Output.line(
            BilingualText(
                ja: "systemctl start madoguchid(動いていれば restart)で使われます。", en: "madoguchid uses it once started (systemctl start madoguchid, or restart).")
                .description)
    }

    /// `平均 0.4 mm、最大 0.9 mm / mean 0.4 mm, worst 0.9 mm`.
    static func errorLine(_ residuals: TouchCalibrationFit.Residuals, ja: String, en: String) -> String {
        BilingualText(
            ja: "\(ja): 平均 \(mm(residuals.mean))、最大 \(mm(residuals.worst))", en: "\(en): mean \(mm(residuals.mean)), worst \(mm(residuals.worst))")
            .description
    }

    static func mm(_ value: Double) -> String { String(format: "%.1f mm", value) }

    /// Says what is wrong and what to do, on standard error, and exits 2.
    static func stop(_ text: BilingualText, next: BilingualText) -> Never {
        Output.error("✗ " + text.description)
        Output.error("  " + next.description)
        Glibc.exit(2)
    }

    /// The fit was refused: says why and to try again, and exits 1 (nothing written).
    static func refuse(_ why: BilingualText) -> Never {
        Output.error("✗ " + why.description)
        Output.error(
            "  "
                + BilingualText(
                    ja: "何も書いていません。各十字の中心を指先で正確に触れて、もう一度 madoguchi diag touch を実行してください。",
                    en: "Nothing was written. Run madoguchi diag touch again, touching the very centre of each cross with a fingertip.")
                .description)
        Glibc.exit(1)
    }
}

/// Reads taps one at a time from a touch device, keeping any that came together.
struct TapReader {
    enum Outcome { case tap(Touch), timedOut, gone }

    let device: EventDevice
    private var tracker = TouchTracker()
    private var waiting: [Touch] = []

    init(device: EventDevice) {
        self.device = device
    }

    /// The next tap, waiting up to `limit`.
    mutating func next(within limit: Duration) -> Outcome {
        let deadline = ContinuousClock.now + limit
        while waiting.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .timedOut }
            let milliseconds = min(250, max(1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            guard let events = device.events(timeout: milliseconds) else { return .gone }
            for event in events { waiting += tracker.feed(event) }
        }
        return .tap(waiting.removeFirst())
    }
}

/// The crosses on the kiosk's framebuffer, drawn with the screens' own Cairo renderer, when
/// the kiosk draws on one and it opens; otherwise nothing (the terminal says where to touch).
struct CalibrationScreen {
    private var framebuffer: Framebuffer?
    private let renderer: ScreenRenderer?
    private let geometry: DisplayGeometry

    init(_ configuration: KioskConfiguration, rotation: Int, geometry: DisplayGeometry) {
        self.geometry = geometry
        guard configuration.display.renderer == .framebuffer else {
            framebuffer = nil
            renderer = nil
            return
        }
        do throws(RenderingError) {
            let opened = try Framebuffer(device: configuration.display.device, rotation: rotation)
            // The layout's pixels are the picture's; a mode that disagrees is drawn at its own size.
            framebuffer = opened
            renderer = ScreenRenderer()
        } catch {
            Output.line(
                BilingualText(
                    ja: "画面 \(configuration.display.device) に十字を描けません(\(error.message))。端末の指示に従って触れてください。",
                    en: "Cannot draw the crosses on \(configuration.display.device) (\(error.message)); touch where the terminal says.").description)
            framebuffer = nil
            renderer = nil
        }
    }

    /// The picture in the framebuffer's pixels (its mode, turned), in the geometry's millimetres.
    private var pixelGeometry: DisplayGeometry {
        guard let framebuffer else { return geometry }
        let turned = DisplayGeometry(width: framebuffer.mode.width, height: framebuffer.mode.height, widthMM: 1, heightMM: 1).turned(framebuffer.rotation)
        return DisplayGeometry(width: turned.width, height: turned.height, widthMM: geometry.widthMM, heightMM: geometry.heightMM)
    }

    mutating func show(_ target: (x: Double, y: Double), number: Int, of count: Int) {
        draw(ScreenLayout.calibrationTarget(target, number: number, of: count, on: pixelGeometry))
    }

    /// A blank screen: the crosses gone until madoguchid draws again.
    mutating func clear() {
        draw(ScreenLayout.blank(on: pixelGeometry))
    }

    private mutating func draw(_ screen: LaidOutScreen) {
        guard var target = framebuffer, let renderer else { return }
        do throws(RenderingError) {
            try target.present(try renderer.frame(screen))
            framebuffer = target
        } catch {
            Output.line(BilingualText(ja: "画面に描けません(\(error.message))。", en: "Cannot draw on the screen (\(error.message)).").description)
        }
    }
}
