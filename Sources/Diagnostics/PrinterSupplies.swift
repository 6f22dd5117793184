public import MadoguchiCore

/// One printer supply (a `marker`, RFC 3995 and PWG 5100.9 as CUPS reports them): toner,
/// ink, a ribbon, a waste container, a drum …
public struct PrinterSupply: Sendable, Hashable {
    /// `marker-levels`: a percentage, or one of RFC 8011's special values.
    public enum Level: Sendable, Hashable {
        /// 0–100 %.
        case percent(Int)
        /// -1: the printer cannot tell this supply's level.
        case unavailable
        /// -2: the level is not known now.
        case unknown
        /// -3: some remains, how much is not known (a sensor that sees "not empty").
        case someRemaining
    }

    /// `marker-names`, cleaned of control characters (it comes from the printer).
    public var name: String
    /// `marker-types` keyword; empty when the printer sent none.
    public var type: String
    /// The level.
    public var level: Level
    /// `marker-low-levels`: low at or below this; nil when not reported.
    public var lowLevel: Int?
    /// `marker-high-levels`: for a waste container, nearly full at or above this.
    public var highLevel: Int?

    /// A supply.
    public init(name: String, type: String, level: Level, lowLevel: Int? = nil, highLevel: Int? = nil) {
        self.name = name
        self.type = type
        self.level = level
        self.lowLevel = lowLevel
        self.highLevel = highLevel
    }

    /// A waste container (`waste-toner`, `waste-ink` …): full is the fault, not empty.
    public var isWaste: Bool { type.hasPrefix("waste-") }

    /// Whether the printer stops when this supply is empty (or, for waste, full).
    public var stopsPrintingWhenSpent: Bool {
        isWaste || Self.stopping.contains(type)
    }

    static let stopping: Set<String> = [
        "toner", "toner-cartridge", "ink", "ink-cartridge", "ink-ribbon", "ribbon-wax", "solid-wax", "opc", "developer",
    ]

    /// What the supply is, in words: `トナー` / `toner`.
    public var kind: BilingualText {
        switch type {
        case "toner", "toner-cartridge": BilingualText(ja: "トナー", en: "toner")
        case "ink", "ink-cartridge": BilingualText(ja: "インク", en: "ink")
        case "ink-ribbon", "ribbon-wax": BilingualText(ja: "リボン", en: "ribbon")
        case "solid-wax": BilingualText(ja: "ワックス", en: "solid ink")
        case "opc": BilingualText(ja: "ドラム", en: "drum")
        case "developer": BilingualText(ja: "現像ユニット", en: "developer")
        case "fuser": BilingualText(ja: "定着ユニット", en: "fuser")
        case "staples": BilingualText(ja: "ステープル", en: "staples")
        case "waste-toner": BilingualText(ja: "廃トナーボックス", en: "waste toner box")
        case "waste-ink": BilingualText(ja: "廃インクタンク", en: "waste ink tank")
        case _ where isWaste: BilingualText(ja: "廃棄物容器", en: "waste container")
        default: BilingualText(ja: "消耗品", en: "supply")
        }
    }

    /// The part a technician orders and replaces: `トナーカートリッジ` / `toner cartridge`.
    public var replacement: BilingualText {
        switch type {
        case "toner", "toner-cartridge": BilingualText(ja: "トナーカートリッジ", en: "toner cartridge")
        case "ink", "ink-cartridge": BilingualText(ja: "インクカートリッジ", en: "ink cartridge")
        case "ink-ribbon", "ribbon-wax": BilingualText(ja: "リボン", en: "ribbon")
        case "opc": BilingualText(ja: "ドラムユニット", en: "drum unit")
        default: kind
        }
    }
}

/// What the printer's `marker-…` attributes say, read strictly: they come from the
/// printer (through its CUPS backend), and a printer that sends lists that do not line up
/// is reported as unreadable, never guessed at.
public enum PrinterSupplies: Sendable, Hashable {
    /// The printer reports no supply (no `marker-levels` and no other `marker-…` list).
    case none
    /// One entry per supply, in the printer's order.
    case supplies([PrinterSupply])
    /// The lists do not make sense; what is wrong, precisely.
    case unreadable(BilingualText)

    /// Reads the parallel lists: `levels` and `names` must have one value per supply, the
    /// others (types, colors, low and high levels) the same number or none at all.
    /// `colors` only name a supply that has no name.
    public static func read(
        names: [String], types: [String], colors: [String], levels: [Int], lowLevels: [Int], highLevels: [Int]
    ) -> PrinterSupplies {
        let lists: [(String, Int)] = [
            ("marker-names", names.count), ("marker-types", types.count), ("marker-colors", colors.count),
            ("marker-low-levels", lowLevels.count), ("marker-high-levels", highLevels.count),
        ]
        if levels.isEmpty {
            guard let other = lists.first(where: { $0.1 > 0 }) else { return .none }
            return .unreadable(
                BilingualText(
                    ja: "\(other.0) が \(other.1) 件ありますが marker-levels がありません",
                    en: "\(other.0) has \(other.1) value(s) but there is no marker-levels"))
        }
        let count = levels.count
        for (list, size) in lists where size != count && (size != 0 || list == "marker-names") {
            return .unreadable(
                BilingualText(
                    ja: "marker-levels は \(count) 件、\(list) は \(size) 件で、数が合いません",
                    en: "marker-levels has \(count) value(s) but \(list) has \(size)"))
        }
        var supplies: [PrinterSupply] = []
        for index in 0..<count {
            let name = clean(names[index], fallback: colors.isEmpty ? "" : clean(colors[index], fallback: ""), number: index + 1)
            let level: PrinterSupply.Level
            switch levels[index] {
            case 0...100: level = .percent(levels[index])
            case -1: level = .unavailable
            case -2: level = .unknown
            case -3: level = .someRemaining
            default:
                return .unreadable(
                    BilingualText(
                        ja: "\(name) の marker-levels が \(levels[index]) です(0〜100、または -1、-2、-3 のはず)",
                        en: "marker-levels of \(name) is \(levels[index]) (it must be 0–100, or -1, -2, -3)"))
            }
            var bounds: [Int?] = []
            for (list, values) in [("marker-low-levels", lowLevels), ("marker-high-levels", highLevels)] {
                guard !values.isEmpty else {
                    bounds.append(nil)
                    continue
                }
                guard (0...100).contains(values[index]) else {
                    return .unreadable(
                        BilingualText(
                            ja: "\(name) の \(list) が \(values[index]) です(0〜100 のはず)",
                            en: "\(list) of \(name) is \(values[index]) (it must be 0–100)"))
                }
                bounds.append(values[index])
            }
            let type = types.isEmpty ? "" : clean(types[index], fallback: "", number: nil).lowercased()
            supplies.append(PrinterSupply(name: name, type: type, level: level, lowLevel: bounds[0], highLevel: bounds[1]))
        }
        return .supplies(supplies)
    }

    /// A printer's text made fit for one line: no control characters, no surrounding
    /// spaces, at most 40 characters; empty gives `fallback`, else `#number`.
    static func clean(_ text: String, fallback: String, number: Int? = nil) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !(scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format) {
            scalars.append(scalar)
        }
        var result = String(scalars).trimmingSpaces()
        if result.count > 40 { result = String(result.prefix(39)) + "…" }
        if !result.isEmpty { return result }
        if !fallback.isEmpty { return fallback }
        return number.map { "#\($0)" } ?? ""
    }

    /// The diag lines for a queue's supplies, ids `<prefix>-marker-N` (N from 1, the
    /// printer's order), or one `<prefix>-markers` line when there are none or they cannot
    /// be read.
    public func checks(_ prefix: String) -> [DiagnosticCheck] {
        switch self {
        case .none:
            return [.skipped("\(prefix)-markers", ja: "プリンターは消耗品の残量を報告していません。", en: "The printer reports no supply levels.")]
        case .unreadable(let problem):
            return [
                .warning(
                    "\(prefix)-markers",
                    BilingualText(ja: "消耗品の残量を読めません: \(problem.ja)。", en: "Cannot read the supply levels: \(problem.en)."),
                    next: BilingualText(
                        ja: "残量はプリンターの操作パネルで確かめてください。続く場合はプリンターの機種とこの行を保守窓口に伝えてください。",
                        en: "Check the levels on the printer's own panel; if it persists, report the printer model and this line to maintenance."))
            ]
        case .supplies(let supplies):
            return supplies.enumerated().map { index, supply in Self.check(supply, id: "\(prefix)-marker-\(index + 1)") }
        }
    }

    /// One supply's line.
    static func check(_ supply: PrinterSupply, id: String) -> DiagnosticCheck {
        let kind = supply.kind
        let name = supply.name
        let part = supply.replacement
        switch supply.level {
        case .unavailable, .unknown:
            return .skipped(id, ja: "\(kind.ja) \(name): 残量不明", en: "\(kind.en.capitalizedFirst) \(name): level unknown")
        case .someRemaining:
            return .ok(id, ja: "\(kind.ja) \(name): 残りあり", en: "\(kind.en.capitalizedFirst) \(name): some remaining")
        case .percent(let level) where supply.isWaste:
            if level >= 100 {
                return .failure(
                    id, BilingualText(ja: "\(kind.ja)が満杯: \(name) \(level) %", en: "\(kind.en) full: \(name) \(level) %"),
                    next: BilingualText(
                        ja: "\(part.ja)を交換し、madoguchi diag print で確かめてください。",
                        en: "Replace the \(part.en), then check with madoguchi diag print."))
            }
            if let high = supply.highLevel, level >= high {
                return .warning(
                    id, BilingualText(ja: "\(kind.ja)が満杯に近い: \(name) \(level) %(目安 \(high) %)", en: "\(kind.en) nearly full: \(name) \(level) % (full soon at \(high) %)"),
                    next: BilingualText(ja: "交換用の\(part.ja)を用意してください。", en: "Get a replacement \(part.en) ready."))
            }
            return .ok(id, ja: "\(kind.ja) \(name): \(level) %", en: "\(kind.en.capitalizedFirst) \(name): \(level) %")
        case .percent(let level):
            if level == 0 {
                let text = BilingualText(ja: "\(kind.ja)切れ: \(name) 0 %", en: "\(kind.en) empty: \(name) 0 %")
                let next = BilingualText(
                    ja: "\(part.ja)を交換し、madoguchi diag print で確かめてください。", en: "Replace the \(part.en), then check with madoguchi diag print.")
                return supply.stopsPrintingWhenSpent ? .failure(id, text, next: next) : .warning(id, text, next: next)
            }
            if let low = supply.lowLevel, level <= low {
                return .warning(
                    id, BilingualText(ja: "\(kind.ja)残りわずか: \(name) \(level) %(目安 \(low) %)", en: "\(kind.en) low: \(name) \(level) % (low at \(low) %)"),
                    next: BilingualText(
                        ja: "交換用の\(part.ja)を用意し、切れたら交換してください。", en: "Order a replacement \(part.en) and replace it when it runs out."))
            }
            return .ok(id, ja: "\(kind.ja) \(name): \(level) %", en: "\(kind.en.capitalizedFirst) \(name): \(level) %")
        }
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    fileprivate func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
