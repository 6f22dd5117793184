import Contracts
import MadoguchiConfig

/// A reader profile from the devices directory (`readers/<id>.toml`, device-reader
/// schema): what diagnostics need to name a reader pcscd lists.
struct ReaderProfile: Sendable, Hashable {
    /// The file's name without `.toml`.
    var id: String
    /// Names pcscd may give the reader, without the slot suffix (` 00 00`): `pcscName`, and
    /// the model (vsmartcard's stock "Virtual PCD").
    var namePrefixes: [String]
    var driver: String
    var quirks: [String]

    /// Every profile in `directory`, by file name; unreadable files are left out (their
    /// schema is checked by scripts/check-contracts, not here).
    static func load(from directory: String) -> [ReaderProfile]? {
        let text = DeviceProfileFiles.text
        return DeviceProfileFiles.documents(in: directory)?.compactMap { id, document in
            var quirks: [String] = []
            if case .array(let items)? = document["quirks"]?.value { quirks = items.compactMap { text($0) } }
            let prefixes = [text(document["pcscName"]), text(document["model"])].compactMap { $0 }.filter { !$0.isEmpty }
            guard !prefixes.isEmpty else { return nil }
            return ReaderProfile(id: id, namePrefixes: prefixes, driver: text(document["driver"]) ?? "?", quirks: quirks)
        }
    }

    /// The profile for pcscd's `reader` name: the one with the longest matching prefix.
    static func match(_ reader: String, in profiles: [ReaderProfile]) -> ReaderProfile? {
        profiles.compactMap { profile in profile.matchLength(reader).map { (profile, $0) } }.max { $0.1 < $1.1 }?.0
    }

    /// The length of the longest of its names that begins `reader`, nil when none does.
    func matchLength(_ reader: String) -> Int? {
        namePrefixes.filter { reader.hasPrefix($0) }.map(\.count).max()
    }

    /// vsmartcard's virtual reader, for tests and demos only.
    var isVirtual: Bool { driver == "vpcd" }
}
