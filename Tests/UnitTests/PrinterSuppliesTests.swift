import Diagnostics
import MadoguchiCore
import Testing

/// The printer's `marker-…` lists read strictly and turned into diag lines: levels,
/// RFC 8011's special values, low and high thresholds, and lists that do not line up.
@Suite("madoguchi diag: printer supply levels")
struct PrinterSuppliesTests {
    /// Reads one-supply lists (low level 10 unless given).
    static func one(_ level: Int, type: String = "toner", name: String = "Black", low: [Int] = [10], high: [Int] = []) -> [DiagnosticCheck] {
        PrinterSupplies.read(names: [name], types: [type], colors: ["#000000"], levels: [level], lowLevels: low, highLevels: high).checks("a4")
    }

    static func line(_ check: DiagnosticCheck) -> String { "\(check.mark.symbol) \(check.text.ja) / \(check.text.en)" }

    @Test func aLevelAboveItsLowLevelIsOkWithThePercentage() throws {
        let check = try #require(Self.one(80).first)
        #expect(check.id == "a4-marker-1" && check.mark == .ok)
        #expect(Self.line(check) == "✓ トナー Black: 80 % / Toner Black: 80 %")
    }

    @Test(arguments: [8, 10])
    func atOrBelowItsLowLevelIsAWarningThatSaysToOrderTheCartridge(_ level: Int) throws {
        let check = try #require(Self.one(level).first)
        #expect(check.mark == .warning)
        #expect(check.text.en == "toner low: Black \(level) % (low at 10 %)")
        #expect(check.text.ja == "トナー残りわずか: Black \(level) %(目安 10 %)")
        #expect(check.next?.en.contains("Order a replacement toner cartridge") == true)
        #expect(check.next?.ja.contains("トナーカートリッジ") == true)
    }

    @Test func emptyTonerStopsPrintingSoItIsAFailureButEmptyStaplesOnlyWarn() throws {
        let toner = try #require(Self.one(0).first)
        #expect(toner.mark == .failure && toner.text.en == "toner empty: Black 0 %")
        #expect(toner.next?.en.contains("Replace the toner cartridge") == true)
        #expect(try #require(Self.one(0, type: "staples", name: "Stapler").first).mark == .warning)
    }

    @Test func theSpecialValuesAreUnknownOrSomeRemainingNeverAPercentage() throws {
        let unavailable = try #require(Self.one(-1).first)
        let unknown = try #require(Self.one(-2).first)
        let some = try #require(Self.one(-3).first)
        #expect(unavailable.mark == .skipped && unavailable.text.en == "Toner Black: level unknown")
        #expect(unknown.mark == .skipped)
        #expect(some.mark == .ok && some.text.en == "Toner Black: some remaining")
    }

    @Test func aWasteContainerWarnsAtItsHighLevelAndFailsWhenFull() throws {
        let fine = try #require(Self.one(40, type: "waste-toner", name: "Waste", low: [], high: [85]).first)
        let nearly = try #require(Self.one(90, type: "waste-toner", name: "Waste", low: [], high: [85]).first)
        let full = try #require(Self.one(100, type: "waste-toner", name: "Waste", low: [], high: [85]).first)
        #expect(fine.mark == .ok)
        #expect(nearly.mark == .warning && nearly.text.en == "waste toner box nearly full: Waste 90 % (full soon at 85 %)")
        #expect(full.mark == .failure)
        // 0 % in a waste box is empty, which is good.
        #expect(try #require(Self.one(0, type: "waste-toner", name: "Waste", low: [], high: [85]).first).mark == .ok)
    }

    @Test func withoutALowLevelOnlyEmptyIsReported() throws {
        #expect(try #require(Self.one(3, low: []).first).mark == .ok)
        #expect(try #require(Self.one(0, low: []).first).mark == .failure)
    }

    @Test func eachSupplyHasItsOwnLineInThePrintersOrder() {
        let checks = PrinterSupplies.read(
            names: ["Black", "Cyan", "Magenta"], types: ["toner", "toner", "toner"], colors: [], levels: [70, 5, -3], lowLevels: [10, 10, 10],
            highLevels: []
        ).checks("receipt")
        #expect(checks.map(\.id) == ["receipt-marker-1", "receipt-marker-2", "receipt-marker-3"])
        #expect(checks.map(\.mark) == [.ok, .warning, .ok])
    }

    @Test func noMarkersAtAllIsOneSkippedLine() {
        let checks = PrinterSupplies.read(names: [], types: [], colors: [], levels: [], lowLevels: [], highLevels: []).checks("a4")
        #expect(checks.count == 1 && checks[0].id == "a4-markers" && checks[0].mark == .skipped)
    }

    /// Lists that do not line up, and values outside their range: one precise warning.
    static let garbage: [(names: [String], types: [String], levels: [Int], low: [Int], high: [Int], english: String)] = [
        (["Black", "Cyan"], ["toner"], [50, 50], [], [], "marker-levels has 2 value(s) but marker-types has 1"),
        (["Black"], ["toner"], [50, 50], [], [], "marker-levels has 2 value(s) but marker-names has 1"),
        ([], [], [50], [], [], "marker-levels has 1 value(s) but marker-names has 0"),
        (["Black"], ["toner"], [], [], [], "marker-names has 1 value(s) but there is no marker-levels"),
        (["Black"], ["toner"], [50], [10, 10], [], "marker-levels has 1 value(s) but marker-low-levels has 2"),
        (["Black"], ["toner"], [150], [], [], "marker-levels of Black is 150 (it must be 0–100, or -1, -2, -3)"),
        (["Black"], ["toner"], [-4], [], [], "marker-levels of Black is -4 (it must be 0–100, or -1, -2, -3)"),
        (["Black"], ["toner"], [50], [-1], [], "marker-low-levels of Black is -1 (it must be 0–100)"),
        (["Black"], ["toner"], [50], [], [101], "marker-high-levels of Black is 101 (it must be 0–100)"),
    ]

    @Test(arguments: garbage.indices)
    func listsThatDoNotLineUpOrValuesOutOfRangeAreUnreadableWithThePreciseReason(_ index: Int) throws {
        let bad = Self.garbage[index]
        let reading = PrinterSupplies.read(names: bad.names, types: bad.types, colors: [], levels: bad.levels, lowLevels: bad.low, highLevels: bad.high)
        guard case .unreadable(let problem) = reading else {
            Issue.record("read as \(reading)")
            return
        }
        #expect(problem.en == bad.english)
        #expect(!problem.ja.isEmpty)
        let checks = reading.checks("a4")
        #expect(checks.count == 1 && checks[0].id == "a4-markers" && checks[0].mark == .warning)
        #expect(checks[0].text.en == "Cannot read the supply levels: \(bad.english).")
        #expect(checks[0].next != nil)
    }

    @Test func aNameFromThePrinterLosesControlCharactersAndLengthAndAnEmptyOneIsNamedByColorOrNumber() {
        let reading = PrinterSupplies.read(
            names: ["Bl\u{1B}[31mack\n", "", "", String(repeating: "x", count: 100)], types: [], colors: ["#000000", "#00FFFF", "", "none"],
            levels: [50, 50, 50, 50], lowLevels: [], highLevels: [])
        guard case .supplies(let supplies) = reading else {
            Issue.record("read as \(reading)")
            return
        }
        #expect(supplies.map(\.name).prefix(3) == ["Bl[31mack", "#00FFFF", "#3"])
        #expect(supplies[3].name.count == 40 && supplies[3].name.hasSuffix("…"))
        #expect(supplies[0].type == "")
        #expect(reading.checks("a4")[0].text.en == "Supply Bl[31mack: 50 %")
    }
}
