public import Contracts
public import MadoguchiCore

/// The `[mode]` table of `madoguchi.toml`: the mode sessions run in.
public struct ModeSettings: Sendable, Hashable {
    /// `default`: resident, staff or vehicle. Staff may switch a resident kiosk to staff mode.
    public var defaultMode = KioskMode.resident

    /// The defaults: resident.
    public init() {}

    static let known = ["default"]

    /// Reads `[mode]` from a whole configuration document; a missing table gives the defaults.
    public static func read(_ document: DataNode) -> Result<ModeSettings, ConfigurationError> {
        var settings = ModeSettings()
        guard let table = document["mode"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "mode")]))
        }
        var reader = ConfigTable("mode")
        for member in members {
            switch member.key {
            case "default":
                if let mode = reader.choice(member.value, member.key, KioskMode.allCases, noun: ("モード", "a mode")) { settings.defaultMode = mode }
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }
}

/// The `[display]` table of `madoguchi.toml`: the screen, its profile, text size, the
/// nightly blank and the virtual terminal the daemon locks.
public struct DisplaySettings: Sendable, Hashable {
    /// How screens are drawn.
    public enum Renderer: String, Sendable, Hashable, CaseIterable {
        /// The kiosk's framebuffer.
        case framebuffer
        /// A text rendering, for tests and SSH.
        case terminal
    }

    public var renderer = Renderer.framebuffer
    /// The framebuffer device.
    public var device = "/dev/fb0"
    /// `displays/<profile>.toml` in the devices directory; nil: sizes from the framebuffer at 96 dpi.
    public var profile: String?
    /// Multiplies every text size, 1 to 2.
    public var textScale = 1.0
    /// The screen is blank daily from `sleepFrom` until `sleepUntil` (local time); both or neither.
    public var sleepFrom: TimeOfDay?
    public var sleepUntil: TimeOfDay?
    /// The kiosk's virtual terminal (`/dev/tty1` … `/dev/tty63`), which the daemon puts in
    /// graphics mode with its keyboard off while it runs, so neither the kernel's text
    /// console nor a key typed on it draws over the screen; nil: no VT is touched (the
    /// terminal renderer over SSH, a demo).
    public var console: String?

    /// The defaults: the framebuffer /dev/fb0, no profile, never blank, no console lock.
    public init() {}

    static let known = ["renderer", "device", "profile", "textScale", "sleepFrom", "sleepUntil", "console"]

    /// Whether `text` names a virtual terminal the kernel can have: `/dev/tty1` to
    /// `/dev/tty63`, without a leading zero (`/dev/tty0` is whichever VT is in front,
    /// `/dev/tty64` and up do not exist).
    public static func isVirtualTerminal(_ text: String) -> Bool {
        guard text.hasPrefix("/dev/tty") else { return false }
        let digits = text.dropFirst("/dev/tty".count)
        guard (1...2).contains(digits.count), digits.first != "0", digits.allSatisfy({ ("0"..."9").contains($0) }),
            let number = Int(digits)
        else { return false }
        return (1...63).contains(number)
    }

    /// Reads `[display]` from a whole configuration document; a missing table gives the
    /// defaults. `sleepFrom` and `sleepUntil` come together and differ.
    public static func read(_ document: DataNode) -> Result<DisplaySettings, ConfigurationError> {
        var settings = DisplaySettings()
        guard let table = document["display"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "display")]))
        }
        var reader = ConfigTable("display")
        var sleepFrom: DataNode?
        var sleepUntil: DataNode?
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "renderer":
                if let renderer = reader.choice(value, key, Renderer.allCases, noun: ("描画方式", "a renderer")) { settings.renderer = renderer }
            case "device":
                if let text = reader.absolutePath(value, key) { settings.device = text }
            case "profile":
                if let text = reader.slug(value, key) { settings.profile = text }
            case "textScale":
                if let number = reader.number(value, key, 1...2) { settings.textScale = number }
            case "sleepFrom":
                sleepFrom = value
                settings.sleepFrom = reader.timeOfDay(value, key)
            case "sleepUntil":
                sleepUntil = value
                settings.sleepUntil = reader.timeOfDay(value, key)
            case "console":
                guard let text = reader.string(value, key) else { continue }
                if isVirtualTerminal(text) {
                    settings.console = text
                } else {
                    reader.add(
                        value.location, key, "pattern",
                        ja: "キオスクの仮想端末 /dev/tty1〜/dev/tty63(例 /dev/tty1)にしてください。画面を固定しないときは、この行を消してください。",
                        en: "must be the kiosk's virtual terminal, /dev/tty1 to /dev/tty63 (e.g. /dev/tty1); remove the line to leave the console alone.")
                }
            default:
                reader.unknown(member, known: known)
            }
        }
        switch (sleepFrom, sleepUntil) {
        case (let from?, nil):
            reader.add(
                from.location, "sleepFrom", "dependentRequired", ja: "sleepUntil と一緒に書いてください(両方書くか、どちらも書かないか)。",
                en: "needs sleepUntil too; give both or neither.")
        case (nil, let until?):
            reader.add(
                until.location, "sleepUntil", "dependentRequired", ja: "sleepFrom と一緒に書いてください(両方書くか、どちらも書かないか)。",
                en: "needs sleepFrom too; give both or neither.")
        case (_, let until?) where settings.sleepFrom != nil && settings.sleepFrom == settings.sleepUntil:
            reader.add(
                until.location, "sleepUntil", "not", ja: "sleepFrom と同じ時刻です。画面を消す時間帯になるよう、違う時刻にしてください。",
                en: "is the same time as sleepFrom; give two different times.")
        default: break
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }
}

/// The `[input]` table of `madoguchi.toml`: the touch screen and a keypad or keyboard.
public struct InputSettings: Sendable, Hashable {
    /// Which input device.
    public enum Device: Sendable, Hashable {
        /// Found by itself: the display profile's touch controller, else the first touch
        /// screen (or keyboard).
        case auto
        /// `none`: no such device.
        case disabled
        /// This evdev device (`/dev/input/by-path/…-event`).
        case path(String)
    }

    public var touch = Device.auto
    public var keyboard = Device.auto

    /// The defaults: both found automatically.
    public init() {}

    static let known = ["touch", "keyboard"]

    /// Reads `[input]` from a whole configuration document; a missing table gives the defaults.
    public static func read(_ document: DataNode) -> Result<InputSettings, ConfigurationError> {
        var settings = InputSettings()
        guard let table = document["input"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "input")]))
        }
        var reader = ConfigTable("input")
        for member in members {
            switch member.key {
            case "touch":
                if let device = device(member.value, member.key, &reader) { settings.touch = device }
            case "keyboard":
                if let device = device(member.value, member.key, &reader) { settings.keyboard = device }
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }

    static func device(_ node: DataNode, _ key: String, _ reader: inout ConfigTable) -> Device? {
        guard let text = reader.string(node, key) else { return nil }
        switch text {
        case "auto": return .auto
        case "none": return .disabled
        default:
            guard ConfigTable.isAbsolutePath(text) else {
                reader.add(
                    node.location, key, "pattern", ja: "auto、none、または / で始まる evdev のパス(例 /dev/input/by-path/…-event)にしてください。",
                    en: "must be auto, none, or an evdev path starting with / (e.g. /dev/input/by-path/…-event).")
                return nil
            }
            return .path(text)
        }
    }
}

/// The `[reader]` table of `madoguchi.toml`: which PC/SC card reader.
public struct ReaderSettings: Sendable, Hashable {
    /// Use the first reader whose name contains this; empty: any reader with a known profile.
    public var match = ""
    /// Force `readers/<profile>.toml` instead of matching the USB id.
    public var profile: String?
    /// Accept vsmartcard's virtual reader; tests and demos only.
    public var allowVirtual = false

    /// The defaults: any known reader, no virtual one.
    public init() {}

    static let known = ["match", "profile", "allowVirtual"]

    /// Reads `[reader]` from a whole configuration document; a missing table gives the defaults.
    public static func read(_ document: DataNode) -> Result<ReaderSettings, ConfigurationError> {
        var settings = ReaderSettings()
        guard let table = document["reader"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "reader")]))
        }
        var reader = ConfigTable("reader")
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "match":
                if let text = reader.text(value, key, length: 0...200) { settings.match = text }
            case "profile":
                if let text = reader.slug(value, key) { settings.profile = text }
            case "allowVirtual":
                if let flag = reader.boolean(value, key) { settings.allowVirtual = flag }
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }
}

/// The `[printer]` table of `madoguchi.toml` with `[printer.a4]` and `[printer.receipt]`:
/// a document goes to the printer for its page size.
public struct PrinterSettings: Sendable, Hashable {
    /// One printer: its CUPS queue and, optionally, its profile.
    public struct Queue: Sendable, Hashable {
        /// The CUPS queue name.
        public var queue: String
        /// `printers/<profile>.toml` in the devices directory.
        public var profile: String?

        /// A queue without a profile.
        public init(queue: String, profile: String? = nil) {
            self.queue = queue
            self.profile = profile
        }

        static let known = ["queue", "profile"]
    }

    /// The CUPS server; nil: libcups' default (`$CUPS_SERVER`, /run/cups/cups.sock).
    public var cupsServer: String?
    /// For A4, A5, B5, B4 and A3 pages; nil: none.
    public var a4: Queue?
    /// For receipt80 and receipt58 pages; nil: none.
    public var receipt: Queue?

    /// The defaults: no printer.
    public init() {}

    static let known = ["cupsServer", "a4", "receipt"]

    /// Reads `[printer]`, `[printer.a4]` and `[printer.receipt]` from a whole configuration
    /// document; a missing table gives no printer. A printer needs its queue.
    public static func read(_ document: DataNode) -> Result<PrinterSettings, ConfigurationError> {
        var settings = PrinterSettings()
        guard let table = document["printer"] else { return .success(settings) }
        guard case .object(let members) = table.value else {
            return .failure(ConfigurationError([ConfigTable.notATable(table, "printer")]))
        }
        var reader = ConfigTable("printer")
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "cupsServer":
                if let text = reader.text(value, key, length: 1...200) { settings.cupsServer = text }
            case "a4", "receipt":
                guard let queueMembers = reader.table(value, key) else { continue }
                var queueReader = ConfigTable("printer.\(key)", pointer: reader.pointer(key))
                let queue = readQueue(value, queueMembers, &queueReader)
                reader.problems += queueReader.problems
                if key == "a4" { settings.a4 = queue } else { settings.receipt = queue }
            default:
                reader.unknown(member, known: known)
            }
        }
        return reader.problems.isEmpty ? .success(settings) : .failure(ConfigurationError(reader.problems))
    }

    static func readQueue(_ table: DataNode, _ members: [DataNode.Member], _ reader: inout ConfigTable) -> Queue? {
        var queue: String?
        var profile: String?
        var sawQueue = false
        for member in members {
            let key = member.key
            let value = member.value
            switch key {
            case "queue":
                sawQueue = true
                guard let text = reader.string(value, key) else { continue }
                if isQueueName(text) {
                    queue = text
                } else {
                    reader.add(
                        value.location, key, "pattern", ja: "CUPS のキュー名にしてください(英数字と _.- のみ、. と - では始めない、127 文字まで)。",
                        en: "must be a CUPS queue name (letters, digits and _.- only, not starting with . or -, at most 127).")
                }
            case "profile":
                profile = reader.slug(value, key)
            default:
                reader.unknown(member, known: Queue.known)
            }
        }
        if !sawQueue {
            reader.missing(table, "queue", ja: "必須です。この用紙の CUPS キュー名を書いてください。", en: "required; name the CUPS queue for these pages.")
        }
        return queue.map { Queue(queue: $0, profile: profile) }
    }

    /// `^[A-Za-z0-9_][A-Za-z0-9_.-]*$`, at most 127.
    static func isQueueName(_ text: String) -> Bool {
        let isLetter: (Unicode.Scalar) -> Bool = { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard let first = text.unicodeScalars.first, isLetter(first), text.utf8.count <= 127 else { return false }
        return text.unicodeScalars.allSatisfy { isLetter($0) || $0 == "." || $0 == "-" }
    }
}
