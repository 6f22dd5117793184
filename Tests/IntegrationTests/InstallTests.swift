import Foundation
import Testing

/// `make install`: the tree a kiosk gets, checked with systemd's own tools on that tree
/// (docs/install.md). Each test installs into a folder of its own with `DESTDIR`, so nothing
/// on the machine changes. Tests about the tree install small stand-ins for the programs
/// (`stubs`): the debug programs weigh 400 MB, and copying them for every test stalls the
/// whole run's disk; only the test that runs the installed programs installs the real ones.
@Suite struct InstallTests {
    static let repository = ServicesEnvironment.packageRoot.path

    /// A folder of stand-ins for the programs `make install` lays: executable, tiny.
    static let stubs: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-install-stubs-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for program in ["madoguchid", "madoguchi", "madoguchi-forms", "madoguchi-outbox", "madoguchi-printer", "madoguchi-usb", "madoguchi-diag", "madoguchi-backoffice"] {
            _ = FileManager.default.createFile(atPath: folder + "/" + program, contents: Data("#!/bin/sh\nexit 0\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        return folder
    }()

    /// A fresh `make install DESTDIR=…`; the folder is removed by `remove()`.
    struct Tree {
        let root: String

        /// Installs from `binaries` (the stand-ins unless the test runs the programs).
        static func install(keeping configuration: String? = nil, binaries: String = InstallTests.stubs) async throws -> (Tree, ProgramRunner.Result) {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-install-\(UUID().uuidString)").path
            if let configuration {
                try FileManager.default.createDirectory(atPath: root + "/etc/madoguchi", withIntermediateDirectories: true)
                try configuration.write(toFile: root + "/etc/madoguchi/madoguchi.toml", atomically: true, encoding: .utf8)
            }
            let result = try await ProgramRunner.run(
                "/usr/bin/make", ["-s", "-C", repository, "install", "DESTDIR=\(root)", "BINARIES=\(binaries)"],
                timeout: 120)
            return (Tree(root: root), result)
        }

        func path(_ relative: String) -> String { root + relative }

        func mode(_ relative: String) throws -> Int {
            try #require((FileManager.default.attributesOfItem(atPath: path(relative))[.posixPermissions] as? NSNumber)?.intValue)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func installLaysEveryFileWhereTheUnitAndTheConfigurationExpectIt() async throws {
        let (tree, result) = try await Tree.install()
        defer { tree.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        let programs = ["/usr/sbin/madoguchid"] + ["madoguchi", "madoguchi-forms", "madoguchi-outbox", "madoguchi-printer", "madoguchi-usb", "madoguchi-diag", "madoguchi-backoffice"].map { "/usr/bin/" + $0 }
        for program in programs {
            #expect(try tree.mode(program) == 0o755, "\(program)")
        }
        let files = [
            "/usr/lib/systemd/system/madoguchid.service", "/usr/lib/sysusers.d/madoguchi.conf", "/usr/lib/tmpfiles.d/madoguchi.conf",
            "/usr/lib/udev/rules.d/70-madoguchi.rules", "/usr/share/madoguchi/forms/okuyami/flow.yaml",
            "/usr/share/madoguchi/devices/cups/cupsd-kiosk.conf", "/usr/share/doc/madoguchi/madoguchi.sample.toml",
            "/usr/share/doc/madoguchi/systemd.md", "/usr/share/doc/madoguchi/install.md", "/etc/madoguchi/madoguchi.toml",
        ]
        for file in files {
            #expect(try tree.mode(file) == 0o644, "\(file)")
        }
        // Every file of Forms/ and Devices/ is there, byte for byte.
        for (folder, installed) in [("Forms", "/usr/share/madoguchi/forms"), ("Devices", "/usr/share/madoguchi/devices")] {
            let enumerator = try #require(FileManager.default.enumerator(atPath: Self.repository + "/" + folder))
            var count = 0
            while let relative = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: Self.repository + "/\(folder)/\(relative)", isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                count += 1
                #expect(
                    FileManager.default.contentsEqual(atPath: Self.repository + "/\(folder)/\(relative)", andPath: tree.path("\(installed)/\(relative)")),
                    "\(installed)/\(relative)")
            }
            #expect(count > 0)
        }
        // Nothing outside DESTDIR's tree: no key, no user, no folders of the running machine.
        #expect(!FileManager.default.fileExists(atPath: tree.path("/etc/madoguchi/outbox.key")))
        #expect(result.standardOutput.contains("systemd-sysusers madoguchi.conf"), "the tree's receiver is told how to provision it")
    }

    @Test func uninstallRemovesWhatInstallLaidAndKeepsTheConfiguration() async throws {
        let (tree, installed) = try await Tree.install()
        defer { tree.remove() }
        try #require(installed.status == 0, "\(installed.standardError)")
        try "key".write(toFile: tree.path("/etc/madoguchi/outbox.key"), atomically: true, encoding: .utf8)
        let result = try await ProgramRunner.run("/usr/bin/make", ["-s", "-C", Self.repository, "uninstall", "DESTDIR=\(tree.root)"])
        #expect(result.status == 0, "\(result.standardError)")
        var left: [String] = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: tree.root))
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: tree.path("/" + relative), isDirectory: &isDirectory), !isDirectory.boolValue { left.append("/" + relative) }
        }
        #expect(left.sorted() == ["/etc/madoguchi/madoguchi.toml", "/etc/madoguchi/outbox.key"], "only the town's files stay")
        #expect(result.standardOutput.contains("kept: /etc/madoguchi"))
    }

    @Test func installNeverReplacesTheTownsConfiguration() async throws {
        let configuration = "[kiosk]\nid = \"kasumi-honcho-01\"\n"
        let (tree, result) = try await Tree.install(keeping: configuration)
        defer { tree.remove() }
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try String(contentsOfFile: tree.path("/etc/madoguchi/madoguchi.toml"), encoding: .utf8) == configuration)
        #expect(result.standardOutput.contains("madoguchi.toml exists: kept"))
    }

    @Test func installWithoutTheProgramsSaysWhichIsMissingAndLaysNothing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try await ProgramRunner.run(
            "/usr/bin/make", ["-s", "-C", Self.repository, "install", "DESTDIR=\(root)", "BINARIES=/nonexistent/bin"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("/nonexistent/bin/madoguchi is missing"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: root + "/usr"))
    }

    @Test func theInstalledUnitVerifiesCleanAgainstTheInstalledProgram() async throws {
        let (tree, installed) = try await Tree.install()
        defer { tree.remove() }
        try #require(installed.status == 0, "\(installed.standardError)")
        // systemd's own targets and sockets (those the unit names among them), as files.
        let units = "/usr/lib/systemd/system"
        for unit in try FileManager.default.contentsOfDirectory(atPath: units) where unit.hasSuffix(".target") || unit.hasSuffix(".socket") {
            let source = "\(units)/\(unit)"
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: source)) == nil else { continue }
            try FileManager.default.copyItem(atPath: source, toPath: tree.path(source))
        }
        let unit = tree.path("\(units)/madoguchid.service")
        let verified = try await ProgramRunner.run("/usr/bin/systemd-analyze", ["verify", "--root=\(tree.root)", unit])
        #expect(verified.status == 0)
        #expect(verified.standardError.isEmpty && verified.standardOutput.isEmpty, "systemd-analyze verify: \(verified.standardError)\(verified.standardOutput)")

        // The check is of the tree: without the daemon in it, the unit does not verify.
        try FileManager.default.removeItem(atPath: tree.path("/usr/sbin/madoguchid"))
        let broken = try await ProgramRunner.run("/usr/bin/systemd-analyze", ["verify", "--root=\(tree.root)", unit])
        #expect(broken.status != 0)
        #expect(broken.standardError.contains("/usr/sbin/madoguchid is not executable"), "\(broken.standardError)")
    }

    @Test func theUnitsSecurityExposureIsTwoOrLower() async throws {
        let result = try await ProgramRunner.run(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", "--no-pager", Self.repository + "/systemd/madoguchid.service"])
        let text = result.standardOutput + result.standardError
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level for madoguchid.service:") }, "\(text)")
        let figure = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        #expect(figure <= 2.0, "\(line)")
        // What the issue asks of the unit, by name.
        let unit = try String(contentsOfFile: Self.repository + "/systemd/madoguchid.service", encoding: .utf8)
        for setting in [
            "Type=notify", "WatchdogSec=", "User=madoguchi", "StateDirectory=madoguchi", "RuntimeDirectory=madoguchi",
            "LoadCredential=outbox.key:", "LimitCORE=0", "ProtectSystem=strict", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
            "DevicePolicy=closed", "SystemCallFilter=@system-service", "NoNewPrivileges=yes",
        ] {
            #expect(unit.contains("\n" + setting), "\(setting)")
        }
    }

    @Test func theUnitHandsTheDaemonTheVirtualTerminalTheInstalledConfigurationLocks() throws {
        // The daemon may lock a VT only as its controlling process: the unit must make it so
        // for the very VT `[display] console` names, without a capability.
        let unit = try String(contentsOfFile: Self.repository + "/systemd/madoguchid.service", encoding: .utf8)
        let configuration = try String(contentsOfFile: Self.repository + "/systemd/madoguchi.toml", encoding: .utf8)
        let console = try #require(
            configuration.split(separator: "\n").first { $0.hasPrefix("console = ") }?.split(separator: "\"").dropFirst().first.map(String.init),
            "the installed configuration names the kiosk's VT")
        let name = try #require(console.split(separator: "/").last)
        for line in [
            "TTYPath=\(console)", "StandardInput=tty-force", "StandardOutput=journal", "StandardError=journal", "TTYReset=yes",
            "DeviceAllow=\(console) rw", "Conflicts=getty@\(name).service", "CapabilityBoundingSet=", "AmbientCapabilities=",
        ] {
            #expect(unit.contains("\n" + line + "\n"), "\(line)")
        }
    }

    @Test func sysusersAndTmpfilesMakeTheUserAndItsPrivateFolders() async throws {
        let (tree, installed) = try await Tree.install()
        defer { tree.remove() }
        try #require(installed.status == 0, "\(installed.standardError)")
        let sysusers = try await ProgramRunner.run("/usr/bin/systemd-sysusers", ["--root=\(tree.root)"])
        #expect(sysusers.status == 0, "\(sysusers.standardError)")
        let passwd = try String(contentsOfFile: tree.path("/etc/passwd"), encoding: .utf8)
        let user = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("madoguchi:") }?.split(separator: ":", omittingEmptySubsequences: false))
        #expect(user[5] == "/var/lib/madoguchi" && user[6] == "/usr/sbin/nologin", "\(user)")
        let group = try String(contentsOfFile: tree.path("/etc/group"), encoding: .utf8).split(separator: "\n")
        #expect(group.contains { $0.hasPrefix("madoguchi:") })
        #expect(group.contains { $0.hasPrefix("lpadmin:") && $0.hasSuffix(":madoguchi") }, "the daemon may resume a stopped CUPS queue")

        let tmpfiles = try await ProgramRunner.run("/usr/bin/systemd-tmpfiles", ["--root=\(tree.root)", "--create", "madoguchi.conf"])
        #expect(tmpfiles.status == 0, "\(tmpfiles.standardError)")
        let uid = try #require(Int(user[2]))
        for (folder, mode, owner) in [("/var/lib/madoguchi", 0o700, uid), ("/run/madoguchi", 0o750, uid), ("/etc/madoguchi", 0o755, 0)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: tree.path(folder))
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(folder)")
            #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == owner, "\(folder)")
        }
    }

    @Test func udevReadsTheRulesWithoutAComplaint() async throws {
        // udevadm test reads /run/udev/rules.d too; a device every machine has is enough to
        // make it parse every rules file (the rules themselves match screens and input).
        let name = "70-madoguchi-test-\(UUID().uuidString.prefix(8)).rules"
        let copy = "/run/udev/rules.d/" + name
        try FileManager.default.createDirectory(atPath: "/run/udev/rules.d", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let rules = try String(contentsOfFile: Self.repository + "/systemd/70-madoguchi.rules", encoding: .utf8)

        func complaints(_ text: String) async throws -> [String] {
            try text.write(toFile: copy, atomically: true, encoding: .utf8)
            let result = try await ProgramRunner.run("/usr/bin/udevadm", ["test", "/sys/class/mem/null"])
            let groupExists = getgrnam("madoguchi") != nil
            return (result.standardOutput + result.standardError).split(separator: "\n").map(String.init)
                .filter { $0.contains(name) && !$0.hasPrefix("Reading rules file") }
                // This machine may not have the group (the install made it only in its tree).
                .filter { groupExists || !$0.hasSuffix("Unknown group 'madoguchi', ignoring") }
        }
        #expect(try await complaints(rules) == [])
        // The same check finds a broken line.
        let broken = try await complaints(rules + "SUBSYSTEM==\"input\", GRUOP=\"madoguchi\"\n")
        #expect(broken.contains { $0.contains("Invalid key 'GRUOP'") }, "\(broken)")
    }

    @Test func theInstalledConfigurationValidatesAndItsKeyComesFromSystemd() async throws {
        let (tree, installed) = try await Tree.install(binaries: ProgramRunner.binDirectory.path)
        defer { tree.remove() }
        try #require(installed.status == 0, "\(installed.standardError)")
        let daemon = tree.path("/usr/sbin/madoguchid")
        let configuration = tree.path("/etc/madoguchi/madoguchi.toml")

        // By hand, outside the service: valid; the credential is left to systemd, and said so.
        let byHand = try await ProgramRunner.run(daemon, ["--check-config", "--config", configuration], environment: ["CREDENTIALS_DIRECTORY": ""])
        #expect(byHand.status == 0, "\(byHand.standardError)")
        #expect(byHand.standardOutput.contains("The configuration is valid"))
        #expect(byHand.standardOutput.contains("The credential outbox.key is handed over by systemd"))

        // As the service sees it: the key made by the installed CLI (its helper found beside it).
        let credentials = tree.path("/run/credentials/madoguchid.service")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        let key = try await ProgramRunner.run(
            tree.path("/usr/bin/madoguchi"), ["keys", "init", "--config", configuration, "--file", credentials + "/outbox.key"])
        #expect(key.status == 0, "\(key.standardError)")
        #expect(key.standardOutput.contains("LoadCredential="), "the key's maker says how the daemon gets it")
        let asService = try await ProgramRunner.run(daemon, ["--check-config", "--config", configuration], environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(asService.status == 0, "\(asService.standardError)")
        #expect(!asService.standardOutput.contains("not checked"))

        // Started without the credential, the service refuses with the key's line.
        try FileManager.default.removeItem(atPath: credentials + "/outbox.key")
        let missing = try await ProgramRunner.run(daemon, ["--check-config", "--config", configuration], environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(missing.status == 78)
        #expect(missing.standardError.contains("[outbox] keyCredential: this credential is not in $CREDENTIALS_DIRECTORY"), "\(missing.standardError)")
    }
}
