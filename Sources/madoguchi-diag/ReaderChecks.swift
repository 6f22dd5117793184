import Diagnostics
import MadoguchiConfig
import MadoguchiCore
import PCSC
import USBDevices

/// The `readers` section: pcscd, the readers it lists, their profiles, and the reader the
/// configuration chooses (`[reader] match`).
enum ReaderChecks {
    static let title = BilingualText(ja: "カードリーダー", en: "Card readers")

    static let plugIn = BilingualText(
        ja: "リーダーを挿し直し、lsusb に出るか確かめ、systemctl restart pcscd で pcscd を再起動してください。",
        en: "Plug the reader in again, check that lsusb lists it, then restart pcscd (systemctl restart pcscd).")

    /// The section, and the reader the card section looks at (nil when none is usable).
    static func run(_ configuration: KioskConfiguration) -> (section: DiagnosticSection, chosen: String?) {
        var checks: [DiagnosticCheck] = []
        func done(_ chosen: String? = nil) -> (section: DiagnosticSection, chosen: String?) {
            (DiagnosticSection(id: "readers", title: title, checks: checks), chosen)
        }
        let readers: [String]
        do throws(PCSCError) {
            readers = try PCSCContext().readers()
        } catch {
            checks.append(
                .failure(
                    "pcscd", BilingualText(ja: "pcscd に接続できません(\(error.status))。", en: "Cannot reach pcscd (\(error.status))."),
                    next: BilingualText(
                        ja: "systemctl status pcscd で確かめ、systemctl restart pcscd で起動してください。",
                        en: "Check with systemctl status pcscd and start it with systemctl restart pcscd.")))
            return done()
        }
        checks.append(.ok("pcscd", ja: "pcscd に接続できます。", en: "pcscd is reachable."))
        guard !readers.isEmpty else {
            checks.append(
                .failure("readers", BilingualText(ja: "pcscd はカードリーダーを1台も認識していません。", en: "pcscd lists no card reader."), next: plugIn))
            checks += usb(configuration, pcscReaders: readers)
            return done()
        }
        checks.append(
            .ok("readers", ja: "認識しているリーダー \(readers.count) 台。", en: "pcscd lists \(readers.count) reader(s)."))

        let directory = configuration.kiosk.devicesDirectory + "/readers"
        let profiles = ReaderProfile.load(from: directory)
        if profiles == nil {
            checks.append(
                .warning(
                    "profiles", BilingualText(ja: "機器プロファイルのディレクトリ \(directory) がありません。", en: "The device profiles directory \(directory) is missing."),
                    next: BilingualText(
                        ja: "[kiosk] devicesDirectory を確かめるか、パッケージを入れ直してください。",
                        en: "Check [kiosk] devicesDirectory, or reinstall the package.")))
        }
        var usable: [String] = []
        for (index, reader) in readers.enumerated() {
            let id = "reader-\(index + 1)"
            guard let profile = profiles.flatMap({ ReaderProfile.match(reader, in: $0) }) else {
                if profiles != nil {
                    checks.append(
                        .warning(
                            id, BilingualText(ja: "「\(reader)」: 該当する機器プロファイルがありません。", en: "\"\(reader)\": no device profile matches."),
                            next: BilingualText(
                                ja: "対応機種か確かめ(docs/diagnostics.md)、[reader] profile で指定するか、readers/ にプロファイルを加えてください。",
                                en: "Check that the model is supported (docs/diagnostics.md); name a profile with [reader] profile, or add one under readers/.")))
                }
                if configuration.reader.profile != nil { usable.append(reader) }
                continue
            }
            let quirks = profile.quirks.isEmpty ? "" : ", quirks: \(profile.quirks.joined(separator: ", "))"
            if profile.isVirtual && !configuration.reader.allowVirtual {
                checks.append(
                    .warning(
                        id, BilingualText(ja: "「\(reader)」: 試験用の仮想リーダーです。", en: "\"\(reader)\": vsmartcard's virtual reader, for tests only."),
                        next: BilingualText(
                            ja: "端末では vpcd を外してください(試験なら [reader] allowVirtual = true)。",
                            en: "Remove vpcd from a kiosk (for tests, set [reader] allowVirtual = true).")))
                continue
            }
            checks.append(
                .ok(
                    id, ja: "「\(reader)」: プロファイル \(profile.id)(ドライバー \(profile.driver)\(quirks))。",
                    en: "\"\(reader)\": profile \(profile.id) (driver \(profile.driver)\(quirks))."))
            usable.append(reader)
        }
        checks += usb(configuration, pcscReaders: readers)

        let match = configuration.reader.match
        if !match.isEmpty {
            guard let chosen = readers.first(where: { $0.contains(match) }) else {
                checks.append(
                    .failure(
                        "configured",
                        BilingualText(
                            ja: "設定のリーダー([reader] match = \"\(match)\")が見つかりません。",
                            en: "The configured reader ([reader] match = \"\(match)\") is not there."),
                        next: plugIn))
                return done()
            }
            checks.append(.ok("configured", ja: "設定のリーダー「\(chosen)」があります。", en: "The configured reader \"\(chosen)\" is there."))
            return done(chosen)
        }
        guard let chosen = usable.first else {
            checks.append(
                .failure(
                    "configured",
                    BilingualText(ja: "使えるリーダー(プロファイルのある機種)がありません。", en: "No usable reader (one with a known profile)."),
                    next: plugIn))
            return done()
        }
        checks.append(.ok("configured", ja: "使うリーダー「\(chosen)」。", en: "The kiosk uses \"\(chosen)\"."))
        return done(chosen)
    }

    /// The card readers on the USB bus, by their profiles' ids, against what pcscd lists.
    static func usb(_ configuration: KioskConfiguration, pcscReaders: [String]) -> [DiagnosticCheck] {
        let profiles = USBProfiles.load(devicesDirectory: configuration.kiosk.devicesDirectory) ?? []
        do {
            let devices = try USBContext().devices().map {
                USBDeviceSighting(vendorId: $0.vendor, productId: $0.product, bus: $0.bus, address: $0.address)
            }
            return USBReaderChecks.checks(devices: devices, profiles: profiles, pcscReaders: pcscReaders)
        } catch {
            return USBReaderChecks.checks(devices: nil, failure: error.description, profiles: profiles, pcscReaders: pcscReaders)
        }
    }
}
