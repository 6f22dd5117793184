import Contracts
import Foundation
import MadoguchiConfig
import MadoguchiCore
import Testing

/// The whole of madoguchi.toml (docs/contracts/configuration.md): the sample and the
/// smallest file read, every documented error comes out as the contract prints it, every
/// table refuses what it does not know, and `checkFiles` finds what the file names on the
/// machine.
@Suite struct KioskConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    static let examples = root + "/schemas/examples/config"

    static func read(_ toml: String) throws -> Result<KioskConfiguration, ConfigurationError> {
        KioskConfiguration.read(try DataLoader.loadTOML(toml, file: "madoguchi.toml"))
    }

    /// The problems of a file that must be refused; records an issue when it is accepted.
    static func problems(_ toml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [SchemaViolation] {
        switch try read(toml) {
        case .success:
            Issue.record("accepted:\n\(toml)", sourceLocation: sourceLocation)
            return []
        case .failure(let error):
            return error.problems
        }
    }

    static let kiosk = "[kiosk]\nid = \"kasumi-honcho-01\"\n"

    // MARK: Files that read

    @Test func theSampleFileReadsCleanWithEveryKeyItShows() throws {
        let configuration = try KioskConfiguration.load(path: Self.root + "/docs/contracts/madoguchi.sample.toml").get()
        #expect(configuration.kiosk.id == "kasumi-honcho-01" && configuration.kiosk.name == "本庁舎1階 市民課前")
        #expect(configuration.kiosk.municipalityCode == "131016" && configuration.kiosk.forms == ["okuyami"])
        #expect(configuration.mode.defaultMode == .resident)
        #expect(configuration.display.profile == "generic-fhd-24-touch" && configuration.display.textScale == 1.2)
        #expect(configuration.display.sleepFrom == TimeOfDay(hour: 21, minute: 0) && configuration.display.sleepUntil == TimeOfDay(hour: 7, minute: 30))
        #expect(configuration.display.console == "/dev/tty1")
        #expect(configuration.input.touch == .auto && configuration.input.keyboard == .auto)
        #expect(configuration.reader.match == "RC-S300" && configuration.reader.profile == "sony-rc-s300-p" && !configuration.reader.allowVirtual)
        #expect(configuration.printer.cupsServer == nil)
        #expect(configuration.printer.a4 == PrinterSettings.Queue(queue: "madoguchi-a4", profile: "generic-a4-laser"))
        #expect(configuration.printer.receipt == PrinterSettings.Queue(queue: "madoguchi-receipt", profile: "epson-tm-t88vi"))
        #expect(configuration.outbox.keyCredential == "outbox.key" && configuration.backoffice.tokenCredential == "backoffice.token")
        #expect(configuration.backoffice.caFile == "/etc/madoguchi/tls/town-ca.pem")
        #expect(configuration.timeouts == TimeoutSettings())
        #expect(configuration.languages.offered == [.ja, .jaEasy, .en] && configuration.languages.defaultLanguage == .ja)
        #expect(configuration.staff == StaffSettings())
        #expect(configuration.metrics.enabled && configuration.metrics.listen == "127.0.0.1:9464")
        #expect(configuration.file.hasSuffix("madoguchi.sample.toml"))
    }

    @Test func theSmallestFileGivesTheDocumentedDefaults() throws {
        let configuration = try Self.read(Self.kiosk).get()
        let kiosk = configuration.kiosk
        #expect(kiosk.id == "kasumi-honcho-01" && kiosk.name == nil && kiosk.municipalityCode == nil && kiosk.forms == nil)
        #expect(kiosk.formsDirectory == "/usr/share/madoguchi/forms" && kiosk.devicesDirectory == "/usr/share/madoguchi/devices")
        #expect(kiosk.stateDirectory == "/var/lib/madoguchi")
        #expect(configuration.mode.defaultMode == .resident)
        let display = configuration.display
        #expect(display.renderer == .framebuffer && display.device == "/dev/fb0" && display.profile == nil)
        #expect(display.textScale == 1 && display.sleepFrom == nil && display.sleepUntil == nil)
        #expect(configuration.input.touch == .auto && configuration.input.keyboard == .auto)
        #expect(configuration.reader.match == "" && configuration.reader.profile == nil && configuration.reader.allowVirtual == false)
        #expect(configuration.printer.cupsServer == nil && configuration.printer.a4 == nil && configuration.printer.receipt == nil)
        #expect(configuration.outbox == OutboxSettings() && configuration.backoffice == BackofficeSettings())
        let timeouts = configuration.timeouts
        #expect(timeouts.idleSeconds == 90 && timeouts.idleWarningSeconds == 30 && timeouts.sessionMaxSeconds == 1800)
        #expect(timeouts.pinEntrySeconds == 60 && timeouts.cardReadSeconds == 20 && timeouts.printJobSeconds == 120)
        #expect(timeouts.printConfirmSeconds == 60 && timeouts.syncRequestSeconds == 30)
        let languages = configuration.languages
        #expect(languages.defaultLanguage == .ja && languages.offered == [.ja, .en, .jaEasy] && languages.furigana == .auto)
        let staff = configuration.staff
        #expect(staff.enabled && staff.passcodeHashFile == "/etc/madoguchi/staff-passcode.hash" && staff.lockAfterSeconds == 300 && staff.diagnostics)
        #expect(configuration.metrics.enabled && configuration.metrics.host == "127.0.0.1" && configuration.metrics.port == 9464)
    }

    @Test func theShippedExamplesReadOrFailWhereTheirExpectFileSays() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.examples + "/valid") where name.hasSuffix(".toml") {
            let result = KioskConfiguration.read(try DataLoader.load(contentsOf: Self.examples + "/valid/" + name))
            #expect(throws: Never.self, "\(name)") { try result.get() }
        }
        var checked = 0
        let invalid = Self.examples + "/invalid/"
        for name in try FileManager.default.contentsOfDirectory(atPath: invalid) where name.hasSuffix(".expect") {
            let expected = try String(contentsOfFile: invalid + name, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "at:", with: "")
                .trimmingCharacters(in: .whitespaces)
            let toml = invalid + name.replacingOccurrences(of: ".expect", with: ".toml")
            guard case .failure(let error) = KioskConfiguration.load(path: toml) else {
                Issue.record("\(name): accepted")
                continue
            }
            // The schema reports an unknown key at the object holding it; the reader at the key.
            let found = error.problems.contains {
                $0.instancePath == expected
                    || ($0.keyword == "additionalProperties" && $0.instancePath.split(separator: "/").dropLast().map { "/\($0)" }.joined() == expected)
            }
            #expect(found, "\(name): \(error)")
            #expect(!error.description.contains("s3cr3t"))
            checked += 1
        }
        #expect(checked >= 6)
    }

    // MARK: How problems are printed

    /// The example file and its output, from the contract.
    static func documentedExample() throws -> (toml: String, output: String) {
        let text = try String(contentsOfFile: root + "/docs/contracts/configuration.md", encoding: .utf8)
        let blocks = text.components(separatedBy: "\n```")
        // Fences alternate: even pieces are prose, odd ones are blocks ("toml\n…", "\n…").
        for index in stride(from: 3, to: blocks.count, by: 2) {
            let output = blocks[index].drop { $0 != "\n" }.dropFirst()
            guard output.hasPrefix("/etc/madoguchi/madoguchi.toml:") else { continue }
            let toml = blocks[index - 2]
            try #require(toml.hasPrefix("toml\n"), "the output block is not preceded by its TOML")
            return (String(toml.dropFirst("toml\n".count)) + "\n", String(output))
        }
        throw ExampleMissing()
    }

    struct ExampleMissing: Error {}

    @Test func eachDocumentedErrorIsPrintedExactlyAsTheContractShows() throws {
        let example = try Self.documentedExample()
        let document = try DataLoader.loadTOML(example.toml, file: "/etc/madoguchi/madoguchi.toml")
        guard case .failure(let error) = KioskConfiguration.read(document) else {
            Issue.record("the documented bad file was accepted")
            return
        }
        #expect(error.description == example.output)
        #expect(error.problems.map(\.instancePath) == ["/backoffice/token", "/printers", "/mode/default"])
        #expect(error.problems.map(\.location.line) == [6, 8, 12])
        #expect(!error.description.contains("s3cr3t") && !error.description.contains("\"kiosk\""))
    }

    @Test func problemsOfAllTablesComeTogetherInFileOrder() throws {
        let problems = try Self.problems(
            """
            [timeouts]
            idleSeconds = 5

            [kiosk]
            id = "Kasumi"

            [metrics]
            listen = "0.0.0.0:9464"

            [display]
            textScale = 3
            """)
        #expect(problems.map(\.instancePath) == ["/timeouts/idleSeconds", "/kiosk/id", "/metrics/listen", "/display/textScale"])
        #expect(problems.map(\.location.line) == [2, 5, 8, 11])
    }

    @Test func aMissingFileIsOneProblemNamingThePath() {
        guard case .failure(let error) = KioskConfiguration.load(path: "/nonexistent/madoguchi.toml") else {
            Issue.record("a missing file was read")
            return
        }
        #expect(error.problems.count == 1)
        #expect(
            error.description
                == "/nonexistent/madoguchi.toml: error: 設定ファイルがありません。パスを確かめるか、--config か MADOGUCHI_CONFIG で指定してください。\n"
                + "/nonexistent/madoguchi.toml: error: the configuration file does not exist; check the path, or name the file with --config or MADOGUCHI_CONFIG.")
    }

    @Test func aTOMLSyntaxErrorIsOneProblemAtItsLine() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/madoguchi.toml"
        try "[kiosk]\nid = \"kasumi-honcho-01\"\nname = \"unterminated\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure(let error) = KioskConfiguration.load(path: path) else {
            Issue.record("a broken file was read")
            return
        }
        #expect(error.problems.count == 1 && error.problems[0].keyword == "syntax")
        #expect(error.problems[0].location.file == path && error.problems[0].location.line == 3)
        #expect(error.problems[0].line(in: .english).hasPrefix("\(path):3:"))
        #expect(error.problems[0].line(in: .english).contains("not valid TOML"))
        guard case .failure(let folder) = KioskConfiguration.load(path: directory.path) else {
            Issue.record("a directory was read")
            return
        }
        #expect(folder.problems.count == 1 && folder.description.hasPrefix("\(directory.path): error: "))
    }

    @Test(arguments: [
        ("[キオスク]\nid = \"a\"\n", 1, 2), ("[kiosk]\nid = \"a\"\n[.printer]\n", 3, 2), ("[kiosk]\nforms = [}\n", 2, 10),
        ("[kiosk]\nforms = [\"okuyami\",\n  }\n", 3, 3), ("[kiosk]\nid = 1979-05-27T:\n", 2, 17), ("[[ =]]\n", 1, 4),
    ])
    func malformedTOMLTheParserUsedToAbortOnIsALocatedSyntaxError(_ text: String, _ line: Int, _ column: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/madoguchi.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure(let error) = KioskConfiguration.load(path: path) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.problems.map(\.keyword) == ["syntax"])
        #expect(error.problems.first?.location == FilePosition(file: path, line: line, column: column))
    }

    @Test func bracketsInStringsArraysAndSpacedHeadersAreStillTOML() throws {
        let configuration = try Self.read(
            """
            [ kiosk ]
            id = "kasumi-honcho-01"
            name = '[本庁舎] {1F}'
            forms = [
              # [not a header]
              "okuyami",
            ]
            [ "display" ]
            sleepFrom = "21:00"
            sleepUntil = "07:00"
            [reader]
            match = \"\"\"
            [RC-S300
            \"\"\"
            """
        ).get()
        #expect(configuration.kiosk.name == "[本庁舎] {1F}" && configuration.kiosk.forms == ["okuyami"])
        #expect(configuration.reader.match == "[RC-S300\n")
    }

    @Test func aFileWithoutItsKioskTableOrIdIsRefused() throws {
        let none = try Self.problems("[mode]\ndefault = \"staff\"\n")
        #expect(none.map(\.instancePath) == ["/kiosk"] && none[0].keyword == "required")
        #expect(none[0].line(in: .english) == "madoguchi.toml:1:1: error: [kiosk]: the section is required; add [kiosk] with this kiosk's id below it (e.g. id = \"kasumi-honcho-01\").")
        let noID = try Self.problems("[kiosk]\nname = \"本庁舎\"\n")
        #expect(noID.map(\.instancePath) == ["/kiosk/id"] && noID[0].line(in: .english).hasPrefix("madoguchi.toml:1:1: error: [kiosk] id: required"))
        let outside = try Self.problems("id = \"kasumi-honcho-01\"\n")
        #expect(outside.map { $0.line(in: .japanese) } == [
            "madoguchi.toml:1:1: error: id: どのセクションにも入っていません。[kiosk] の下に書いてください。",
            "madoguchi.toml:1:1: error: [kiosk]: 必須のセクションがありません。[kiosk] と、その下にこの端末の id(例 id = \"kasumi-honcho-01\")を書いてください。",
        ])
        #expect(outside[0].line(in: .english) == "madoguchi.toml:1:1: error: id: written outside every section; move it below [kiosk].")
    }

    // MARK: Every table refuses what it does not know

    @Test(arguments: [
        ("[kiosk]\nid = \"a\"\ncolour = 1\n", "/kiosk/colour", 3),
        ("[mode]\ndefualt = \"staff\"\n", "/mode/defualt", 2),
        ("[display]\nrotation = 90\n", "/display/rotation", 2),
        ("[input]\nmouse = \"auto\"\n", "/input/mouse", 2),
        ("[reader]\nname = \"RC-S300\"\n", "/reader/name", 2),
        ("[printer]\nserver = \"/run/cups/cups.sock\"\n", "/printer/server", 2),
        ("[printer.a4]\nqueue = \"a4\"\ndpi = 600\n", "/printer/a4/dpi", 3),
        ("[printer.receipt]\nqueue = \"r\"\nwidth = 80\n", "/printer/receipt/width", 3),
        ("[printer.a5]\nqueue = \"a5\"\n", "/printer/a5", 1),
        ("[outbox]\nfile = \"/x\"\n", "/outbox/file", 2),
        ("[backoffice]\nproxy = \"x\"\n", "/backoffice/proxy", 2),
        ("[timeouts]\nidle = 90\n", "/timeouts/idle", 2),
        ("[languages]\nfallback = \"en\"\n", "/languages/fallback", 2),
        ("[staff]\npin = 1234\n", "/staff/pin", 2),
        ("[metrics]\nport = 9464\n", "/metrics/port", 2),
        ("[metric]\nenabled = true\n", "/metric", 1),
    ])
    func everyTableRefusesAnUnknownKeyAtItsPath(_ table: String, _ pointer: String, _ line: Int) throws {
        let toml = table.hasPrefix("[kiosk]") ? table : Self.kiosk + table
        let offset = table.hasPrefix("[kiosk]") ? 0 : 2
        let problems = try Self.problems(toml)
        #expect(problems.map(\.instancePath) == [pointer], "\(problems)")
        #expect(problems.first?.keyword == "additionalProperties")
        #expect(problems.first?.location.line == line + offset)
        #expect(problems.first?.message.en.contains("unknown") == true)
    }

    @Test func aNearMissIsSuggested() throws {
        let problems = try Self.problems(Self.kiosk + "[mode]\ndefualt = \"staff\"\n[outbox]\nkeyfile = \"/k\"\n[metric]\nenabled = true\n")
        #expect(problems.map(\.message.en) == [
            "[mode] defualt: unknown setting; did you mean default?",
            "[outbox] keyfile: unknown setting; did you mean keyFile?",
            "[metric]: unknown section; did you mean [metrics]?",
        ])
    }

    @Test(arguments: [
        ("[kiosk]\nid = 7\n", "/kiosk/id", "a string"),
        ("[kiosk]\nid = \"a\"\nforms = \"okuyami\"\n", "/kiosk/forms", "a list"),
        ("[mode]\ndefault = 1\n", "/mode/default", "a string"),
        ("[display]\ntextScale = \"big\"\n", "/display/textScale", "a number"),
        ("[input]\ntouch = false\n", "/input/touch", "a string"),
        ("[reader]\nallowVirtual = \"yes\"\n", "/reader/allowVirtual", "true or false"),
        ("[printer]\na4 = \"madoguchi-a4\"\n", "/printer/a4", "a table"),
        ("[printer.receipt]\nqueue = 80\n", "/printer/receipt/queue", "a string"),
        ("[outbox]\nmaxPending = \"many\"\n", "/outbox/maxPending", "a whole number"),
        ("[backoffice]\nretryMaxSeconds = 1.5\n", "/backoffice/retryMaxSeconds", "a whole number"),
        ("[timeouts]\nidleSeconds = \"90\"\n", "/timeouts/idleSeconds", "a whole number"),
        ("[languages]\noffered = \"ja\"\n", "/languages/offered", "a list"),
        ("[staff]\nenabled = 1\n", "/staff/enabled", "true or false"),
        ("[metrics]\nlisten = 9464\n", "/metrics/listen", "a string"),
        ("metrics = 1\n", "/metrics", "a table"),
    ])
    func everyTableRefusesAWrongTypeAtItsPath(_ table: String, _ pointer: String, _ words: String) throws {
        // A key above every header belongs to the file itself, so it goes before [kiosk].
        let toml = table.hasPrefix("[kiosk]") ? table : table.hasPrefix("[") ? Self.kiosk + table : table + Self.kiosk
        let problems = try Self.problems(toml)
        #expect(problems.map(\.instancePath) == [pointer], "\(problems)")
        #expect(problems.first?.keyword == "type")
        #expect(problems.first?.message.en.contains("must be \(words)") == true, "\(problems)")
        let label = pointer.split(separator: "/").count == 1 ? "[\(pointer.dropFirst())]: " : ""
        #expect(label.isEmpty || problems.first?.message.en.hasPrefix(label) == true)
    }

    @Test(arguments: [
        ("[kiosk]\nid = \"Kasumi_01\"\n", "/kiosk/id"),
        ("[kiosk]\nid = \"a\"\nname = \"\"\n", "/kiosk/name"),
        ("[kiosk]\nid = \"a\"\nforms = []\n", "/kiosk/forms"),
        ("[kiosk]\nid = \"a\"\nforms = [\"okuyami\", \"okuyami\"]\n", "/kiosk/forms"),
        ("[kiosk]\nid = \"a\"\nformsDirectory = \"forms\"\n", "/kiosk/formsDirectory"),
        ("[kiosk]\nid = \"a\"\nstateDirectory = \"/var/lib/../etc\"\n", "/kiosk/stateDirectory"),
        ("[display]\nrenderer = \"x11\"\n", "/display/renderer"),
        ("[display]\nprofile = \"Generic FHD\"\n", "/display/profile"),
        ("[input]\nkeyboard = \"first\"\n", "/input/keyboard"),
        ("[reader]\nmatch = \"\(String(repeating: "x", count: 201))\"\n", "/reader/match"),
        ("[printer]\ncupsServer = \"\"\n", "/printer/cupsServer"),
        ("[printer.a4]\nprofile = \"generic-a4-laser\"\n", "/printer/a4/queue"),
        ("[printer.a4]\nqueue = \"-a4\"\n", "/printer/a4/queue"),
        ("[languages]\nfurigana = \"sometimes\"\n", "/languages/furigana"),
        ("[languages]\noffered = [\"ja\", \"fr\"]\n", "/languages/offered"),
        ("[staff]\npasscodeHashFile = \"staff.hash\"\n", "/staff/passcodeHashFile"),
    ])
    func aWrongValueIsRefusedAtItsPath(_ table: String, _ pointer: String) throws {
        let toml = table.hasPrefix("[kiosk]") ? table : Self.kiosk + table
        let problems = try Self.problems(toml)
        #expect(problems.map(\.instancePath) == [pointer], "\(problems)")
    }

    // MARK: Ranges and cross-checks

    @Test(arguments: [
        ("timeouts", "idleSeconds", 15, 1800), ("timeouts", "idleWarningSeconds", 5, 300), ("timeouts", "sessionMaxSeconds", 60, 14400),
        ("timeouts", "pinEntrySeconds", 10, 600), ("timeouts", "cardReadSeconds", 2, 120), ("timeouts", "printJobSeconds", 10, 1800),
        ("timeouts", "printConfirmSeconds", 5, 600), ("timeouts", "syncRequestSeconds", 1, 600), ("staff", "lockAfterSeconds", 30, 7200),
        ("outbox", "warnPending", 1, 1_000_000), ("outbox", "deadLetterRetentionDays", 1, 3650),
        ("backoffice", "retryInitialSeconds", 1, 3600),
    ])
    func aRangeTakesItsEndsAndRefusesWhatIsBeyond(_ table: String, _ key: String, _ low: Int, _ high: Int) throws {
        for value in [low, high] {
            #expect(throws: Never.self, "\(key) = \(value)") { try Self.read(Self.kiosk + "[\(table)]\n\(key) = \(value)\n").get() }
        }
        for (value, keyword) in [(low - 1, "minimum"), (high + 1, "maximum")] {
            let problems = try Self.problems(Self.kiosk + "[\(table)]\n\(key) = \(value)\n")
            #expect(problems.map(\.instancePath) == ["/\(table)/\(key)"] && problems.first?.keyword == keyword)
            #expect(problems.first?.message.en == "[\(table)] \(key): must be a whole number from \(low) to \(high).")
        }
    }

    @Test func textScaleIsANumberFromOneToTwo() throws {
        #expect(try Self.read(Self.kiosk + "[display]\ntextScale = 2\n").get().display.textScale == 2)
        #expect(try Self.read(Self.kiosk + "[display]\ntextScale = 1.5\n").get().display.textScale == 1.5)
        let problems = try Self.problems(Self.kiosk + "[display]\ntextScale = 0.9\n")
        #expect(problems.map(\.message.en) == ["[display] textScale: must be a number from 1 to 2."])
    }

    @Test func offeredLanguagesMustIncludeTheDefault() throws {
        let english = try Self.read(Self.kiosk + "[languages]\ndefault = \"en\"\noffered = [\"en\", \"ja\"]\nfurigana = \"always\"\n").get().languages
        #expect(english.defaultLanguage == .en && english.offered == [.en, .ja] && english.furigana == .always)
        #expect(try Self.read(Self.kiosk + "[languages]\ndefault = \"ja-easy\"\n").get().languages.defaultLanguage == .jaEasy)
        let withoutJapanese = try Self.problems(Self.kiosk + "[languages]\noffered = [\"en\"]\n")
        #expect(withoutJapanese.map(\.instancePath) == ["/languages/offered"] && withoutJapanese[0].location.line == 4)
        #expect(withoutJapanese[0].message.en == "[languages] offered: must include the default language (ja unless default says otherwise).")
        let otherDefault = try Self.problems(Self.kiosk + "[languages]\noffered = [\"ja\", \"en\"]\ndefault = \"ja-easy\"\n")
        #expect(otherDefault.map(\.instancePath) == ["/languages/offered"])
        let twice = try Self.problems(Self.kiosk + "[languages]\noffered = [\"ja\", \"ja\"]\n")
        #expect(twice.map(\.keyword) == ["uniqueItems"])
        let unknown = try Self.problems(Self.kiosk + "[languages]\ndefault = \"fr\"\n")
        #expect(unknown.map(\.message.en) == ["[languages] default: not a language; use ja, en or ja-easy."])
    }

    @Test func sleepFromAndSleepUntilComeTogether() throws {
        let both = try Self.read(Self.kiosk + "[display]\nsleepFrom = \"22:15\"\nsleepUntil = \"06:05\"\n").get().display
        #expect(both.sleepFrom?.minutes == 22 * 60 + 15 && both.sleepUntil?.description == "06:05")
        let onlyFrom = try Self.problems(Self.kiosk + "[display]\nsleepFrom = \"22:00\"\n")
        #expect(onlyFrom.map(\.message.en) == ["[display] sleepFrom: needs sleepUntil too; give both or neither."])
        #expect(onlyFrom.first?.location.line == 4)
        let onlyUntil = try Self.problems(Self.kiosk + "[display]\nsleepUntil = \"07:00\"\n")
        #expect(onlyUntil.map(\.instancePath) == ["/display/sleepUntil"])
        let same = try Self.problems(Self.kiosk + "[display]\nsleepFrom = \"07:00\"\nsleepUntil = \"07:00\"\n")
        #expect(same.map(\.instancePath) == ["/display/sleepUntil"] && same.first?.keyword == "not")
        for bad in ["24:00", "7:30", "07:60", "0730", "07:30:00"] {
            let problems = try Self.problems(Self.kiosk + "[display]\nsleepFrom = \"\(bad)\"\nsleepUntil = \"08:00\"\n")
            #expect(problems.map(\.instancePath) == ["/display/sleepFrom"], "\(bad)")
            #expect(!problems.contains { $0.description.contains(bad) })
        }
    }

    @Test func theConsoleIsAVirtualTerminalFromOneToSixtyThreeAndAbsentByDefault() throws {
        #expect(try Self.read(Self.kiosk).get().display.console == nil, "no console: no VT is touched")
        for good in ["/dev/tty1", "/dev/tty9", "/dev/tty10", "/dev/tty59", "/dev/tty63"] {
            #expect(try Self.read(Self.kiosk + "[display]\nconsole = \"\(good)\"\n").get().display.console == good, "\(good)")
        }
    }

    @Test(arguments: [
        "/dev/tty0", "/dev/tty64", "/dev/tty100", "/dev/tty01", "/dev/tty", "/dev/console", "/dev/ttyS0", "/dev/pts/3",
        "tty1", "/dev/tty1 ", "/dev/tty-1", "/dev/tty1/", "/dev/tty１", "",
    ])
    func aConsoleThatIsNotAVirtualTerminalIsRefusedWithWhatToWrite(_ bad: String) throws {
        let problems = try Self.problems(Self.kiosk + "[display]\nconsole = \"\(bad)\"\n")
        #expect(problems.map(\.instancePath) == ["/display/console"] && problems.first?.keyword == "pattern", "\(problems)")
        #expect(problems.first?.location.line == 4 && problems.first?.location.column == 1, "the line of the key")
        #expect(
            problems.first?.message.en
                == "[display] console: must be the kiosk's virtual terminal, /dev/tty1 to /dev/tty63 (e.g. /dev/tty1); remove the line to leave the console alone.")
        #expect(
            problems.first?.message.ja
                == "[display] console: キオスクの仮想端末 /dev/tty1〜/dev/tty63(例 /dev/tty1)にしてください。画面を固定しないときは、この行を消してください。")
    }

    @Test func aConsoleThatIsNotTextIsRefusedAsAString() throws {
        let problems = try Self.problems(Self.kiosk + "[display]\nconsole = 1\n")
        #expect(problems.map(\.instancePath) == ["/display/console"] && problems.first?.keyword == "type")
        #expect(problems.first?.message.en == "[display] console: must be a string, not integer.", "\(problems)")
    }

    @Test func theMunicipalityCodeCarriesItsCheckDigit() throws {
        for code in ["131016", "011002", "271004", "472018"] {
            #expect(KioskSettings.isValidMunicipalityCode(code), "\(code)")
            #expect(try Self.read(Self.kiosk + "municipalityCode = \"\(code)\"\n").get().kiosk.municipalityCode == code)
        }
        for code in ["131017", "011001", "13101a", "13101"] { #expect(!KioskSettings.isValidMunicipalityCode(code), "\(code)") }
        let wrongDigit = try Self.problems(Self.kiosk + "municipalityCode = \"131017\"\n")
        #expect(wrongDigit.map(\.keyword) == ["format"] && wrongDigit[0].message.en.contains("check digit"))
        #expect(!wrongDigit[0].description.contains("131017"))
        #expect(try Self.problems(Self.kiosk + "municipalityCode = \"13101\"\n").map(\.keyword) == ["pattern"])
        #expect(try Self.problems(Self.kiosk + "municipalityCode = 131016\n").map(\.keyword) == ["type"])
    }

    @Test func inputTakesAutoNoneOrAPath() throws {
        let input = try Self.read(Self.kiosk + "[input]\ntouch = \"/dev/input/by-path/platform-i2c-event\"\nkeyboard = \"none\"\n").get().input
        #expect(input.touch == .path("/dev/input/by-path/platform-i2c-event") && input.keyboard == .disabled)
    }

    @Test func metricsListenOnlyOnALoopbackAddress() throws {
        for (listen, host, port) in [("127.0.0.1:9464", "127.0.0.1", 9464), ("localhost:1", "localhost", 1), ("[::1]:65535", "::1", 65535)] {
            let metrics = try Self.read(Self.kiosk + "[metrics]\nlisten = \"\(listen)\"\n").get().metrics
            #expect(metrics.host == host && metrics.port == port && metrics.listen == listen)
        }
        #expect(try Self.read(Self.kiosk + "[metrics]\nenabled = false\n").get().metrics.enabled == false)
        for listen in ["0.0.0.0:9464", "192.168.10.5:9464", "[::]:9464", "[fe80::1]:9464", "metrics.example.lg.jp:9464"] {
            let problems = try Self.problems(Self.kiosk + "[metrics]\nlisten = \"\(listen)\"\n")
            #expect(
                problems.map(\.message.en) == ["[metrics] listen: the host must be 127.0.0.1, [::1] or localhost: metrics never leave this machine."],
                "\(listen)")
            #expect(!problems.contains { $0.description.contains(listen) })
        }
        for listen in ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:09464", "::1:9464", ":9464", "127.0.0.1:94a4", ""] {
            let problems = try Self.problems(Self.kiosk + "[metrics]\nlisten = \"\(listen)\"\n")
            #expect(problems.map(\.instancePath) == ["/metrics/listen"] && problems.first?.message.en.contains("must be HOST:PORT") == true, "\(listen)")
        }
    }

    // MARK: Secrets

    @Test func secretsWrittenInTheFileAreRefusedWithoutTheirValue() throws {
        let problems = try Self.problems(
            Self.kiosk + """
                [outbox]
                key = "b3V0Ym94LWtleS1tYXRlcmlhbA=="
                [backoffice]
                token = "t0ken-value-1234567890"
                clientKey = "-----BEGIN PRIVATE KEY-----"
                [staff]
                passcode = "482915"
                """)
        #expect(problems.map(\.instancePath) == ["/outbox/key", "/backoffice/token", "/backoffice/clientKey", "/staff/passcode"])
        #expect(problems.map(\.keyword) == ["not", "not", "not", "not"])
        #expect(problems.map(\.location.line) == [4, 6, 7, 9])
        #expect(problems[0].message.en == "[outbox] key: never write the key in this file; name a file with keyFile or a systemd credential with keyCredential.")
        #expect(problems[2].message.en.contains("clientKeyFile") && problems[2].message.en.contains("clientKeyCredential"))
        #expect(problems[3].message.en == "[staff] passcode: never write the passcode in this file; name a file with passcodeHashFile.")
        #expect(problems[3].message.ja == "[staff] passcode: 設定ファイルにパスコードを書かないでください。passcodeHashFile でファイルを指定してください。")
        let printed = ConfigurationError(problems).description
        for secret in ["b3V0Ym94", "t0ken-value", "BEGIN PRIVATE", "482915"] { #expect(!printed.contains(secret)) }
    }

    // MARK: What the file names on the machine

    /// A devices directory with one display profile, and secret files.
    struct Machine {
        let directory: TemporaryDirectory
        var path: String { directory.path }

        init() throws {
            directory = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.path + "/devices/displays", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory.path + "/credentials", withIntermediateDirectories: true)
            try write("devices/displays/generic-fhd-24-touch.toml", mode: 0o644)
        }

        func write(_ name: String, mode: Int, text: String = "x\n") throws {
            let file = path + "/" + name
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        }

        /// A configuration naming this machine's files; `outbox` is added to `[outbox]`,
        /// `extra` at the end.
        func configuration(outbox: String = "", _ extra: String = "") throws -> KioskConfiguration {
            let toml = """
                [kiosk]
                id = "kasumi-honcho-01"
                devicesDirectory = "\(path)/devices"
                [display]
                profile = "generic-fhd-24-touch"
                [outbox]
                keyFile = "\(path)/outbox.key"
                \(outbox)[staff]
                passcodeHashFile = "\(path)/staff.hash"

                """ + extra
            return try KioskConfiguration.read(DataLoader.loadTOML(toml, file: "madoguchi.toml")).get()
        }
    }

    @Test func privateFilesAndKnownProfilesPassCheckFiles() throws {
        let machine = try Machine()
        try machine.write("outbox.key", mode: 0o600)
        try machine.write("staff.hash", mode: 0o400)
        #expect(try machine.configuration().checkFiles(environment: [:]) == [])
    }

    @Test func checkFilesCatchesASecretFileOthersCanRead() throws {
        let machine = try Machine()
        try machine.write("outbox.key", mode: 0o644)
        try machine.write("staff.hash", mode: 0o640)
        let problems = try machine.configuration().checkFiles(environment: [:])
        #expect(problems.map(\.instancePath) == ["/outbox/keyFile", "/staff/passcodeHashFile"])
        #expect(problems.map(\.location.line) == [7, 9])
        #expect(problems[0].message.en == "[outbox] keyFile: the secret file is open to other users (mode 0644); run chmod 600 on it so only its owner can read it.")
        #expect(problems[1].message.en.contains("(mode 0640)"))
        #expect(!problems.contains { $0.description.contains(machine.path) })
    }

    @Test func checkFilesCatchesAMissingProfileAndAMissingFile() throws {
        let machine = try Machine()
        try machine.write("outbox.key", mode: 0o600)
        let configuration = try machine.configuration("[reader]\nprofile = \"no-such-reader\"\n[printer.a4]\nqueue = \"a4\"\nprofile = \"generic-a4-laser\"\n")
        let problems = configuration.checkFiles(environment: [:])
        #expect(problems.map(\.instancePath) == ["/staff/passcodeHashFile", "/reader/profile", "/printer/a4/profile"])
        #expect(problems.map(\.location.line) == [9, 11, 14])
        #expect(problems[1].message.en == "[reader] profile: no such profile in readers/ of devicesDirectory (name.toml); check the name.")
        #expect(problems[2].message.en.hasPrefix("[printer.a4] profile: no such profile in printers/"))
        #expect(problems[0].message.en == "[staff] passcodeHashFile: the file does not exist.")
        #expect(!problems.contains { $0.description.contains("no-such-reader") })
    }

    @Test func aDefaultFileTheConfigurationDidNotWriteIsNamedByItsDefault() throws {
        // Only where the test machine has no outbox key of its own.
        guard !FileManager.default.fileExists(atPath: OutboxSettings().keyFile) else { return }
        let configuration = try Self.read(Self.kiosk + "[staff]\nenabled = false\n[outbox]\nwarnPending = 10\n").get()
        let problems = configuration.checkFiles(environment: [:])
        #expect(problems.map(\.message.en) == [
            "[outbox] keyFile: the file does not exist (the default, /etc/madoguchi/outbox.key); make it with `madoguchi keys init`."
        ])
        #expect(problems.first?.location == FilePosition(file: "madoguchi.toml"))
    }

    @Test func aCredentialWinsOverItsFile() throws {
        let machine = try Machine()
        try machine.write("outbox.key", mode: 0o644)
        try machine.write("staff.hash", mode: 0o600)
        try machine.write("token", mode: 0o644)
        try machine.write("credentials/outbox.key", mode: 0o400)
        try machine.write("credentials/backoffice.token", mode: 0o400)
        let configuration = try machine.configuration(
            outbox: "keyCredential = \"outbox.key\"\n",
            """
            [backoffice]
            url = "https://backoffice.example.lg.jp"
            tokenCredential = "backoffice.token"
            tokenFile = "\(machine.path)/token"

            """)
        #expect(configuration.checkFiles(environment: ["CREDENTIALS_DIRECTORY": machine.path + "/credentials"]) == [])
        // Without the credentials the token falls back to its file, which others can read;
        // the outbox key has no fallback once keyCredential is set (as OutboxKeySource).
        let problems = configuration.checkFiles(environment: [:])
        #expect(problems.map(\.instancePath) == ["/outbox/keyCredential", "/backoffice/tokenFile"])
        #expect(problems.map(\.location.line) == [8, 14])
        #expect(problems.first?.message.en.contains("no CREDENTIALS_DIRECTORY") == true)
        let missing = configuration.checkFiles(environment: ["CREDENTIALS_DIRECTORY": machine.path + "/devices"])
        #expect(missing.map(\.instancePath) == ["/outbox/keyCredential", "/backoffice/tokenFile"])
        #expect(missing.first?.message.en.hasPrefix("[outbox] keyCredential: this credential is not in $CREDENTIALS_DIRECTORY") == true)
    }

    // MARK: Garbage never breaks the reader


    static let headers = KioskConfiguration.sections.map { "[\($0)]" } + [
        "[printer.a4]", "[printer.receipt]", "[printer.a5]", "[printers]", "[kiosk.extra]", "[[kiosk]]", "[\"odd key\"]", "[a.b.c]", "",
    ]
    static let keys = [
        "id", "name", "municipalityCode", "forms", "default", "offered", "renderer", "profile", "textScale", "sleepFrom", "sleepUntil",
        "touch", "keyboard", "match", "allowVirtual", "cupsServer", "queue", "a4", "receipt", "path", "keyFile", "keyCredential",
        "url", "auth", "tokenFile", "idleSeconds", "lockAfterSeconds", "enabled", "listen", "key", "token", "passcode", "unknown",
        "\"quoted key\"", "a4.queue", "é",
    ]
    static let values = [
        "\"kasumi-honcho-01\"", "\"SECRET-VALUE-42\"", "1", "-1", "0", "1.5", "1e400", "true", "false", "[]", "[\"ja\", \"en\"]",
        "[1, \"a\"]", "{ queue = \"a4\" }", "{}", "\"\"", "\"07:30\"", "\"127.0.0.1:9464\"", "\"/etc/madoguchi/outbox.key\"",
        "2026-04-01", "07:30:00", "1979-05-27T07:32:00Z", "\"\\u0000\"", "\"\u{202E}\"", "'''multi\nline'''", "inf", "nan",
    ]

    /// Pieces of TOML syntax, put together at random.
    static let atoms = [
        "[", "]", "[[", "]]", "=", " ", "\n", "\"", "'", "\"\"\"", "'''", "#", ".", ",", "{", "}", "a", "b1", "-", "+", "1", "0x1", "1e5",
        "inf", "nan", "true", "1979-05-27", "07:32:00", "T", "Z", "\\", "\\u00e9", "é", "\t", "\r\n", ":", "_", "!", "\u{01}", "キオスク",
    ]

    static func garbage(_ random: inout SeededGenerator) -> String {
        var lines: [String] = Bool.random(using: &random) ? ["[kiosk]", "id = \"kasumi-honcho-01\""] : []
        for _ in 0..<Int.random(in: 0...14, using: &random) {
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1: lines.append(headers.randomElement(using: &random)!)
            case 2: lines.append((0..<Int.random(in: 1...12, using: &random)).map { _ in atoms.randomElement(using: &random)! }.joined())
            default: lines.append("\(keys.randomElement(using: &random)!) = \(values.randomElement(using: &random)!)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func randomGarbageNeverCrashesAndEveryProblemIsLocated() throws {
        var random = SeededGenerator(state: 0x6D61_646F_6775_6368)
        var read = 0
        var refused = 0
        for _ in 0..<5000 {
            let text = Self.garbage(&random)
            guard let document = try? DataLoader.loadTOML(text, file: "garbage.toml") else { continue }
            switch KioskConfiguration.read(document) {
            case .success(let configuration):
                read += 1
                _ = configuration.checkFiles(environment: [:])
            case .failure(let error):
                refused += 1
                #expect(!error.problems.isEmpty)
                for problem in error.problems {
                    #expect(problem.location.file == "garbage.toml")
                    #expect(problem.location.line != nil, "no line for \(problem.instancePath) in:\n\(text)")
                    #expect(problem.message.en.hasPrefix("[") || problem.message.en.contains(": "), "\(problem)")
                    #expect(!problem.description.contains("SECRET-VALUE"), "\(problem)")
                }
            }
        }
        #expect(refused > 500)
        #expect(read > 0)
    }
}

/// A directory under the system's temporary directory, removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
