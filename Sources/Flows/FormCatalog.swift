public import Contracts
import Foundation

/// Every bundle of a `Forms/` folder, loaded together so `extends` finds its base, and
/// every version loaded so far kept: a flow in progress finishes on the version it
/// started with, even after a newer version is loaded.
public struct FormCatalog: Sendable {
    /// Loaded bundles by id, then version.
    public private(set) var versions: [String: [Int: FormBundle]] = [:]
    /// Warnings from loading.
    public private(set) var warnings: [FlowDiagnostic] = []
    /// Errors from loading (bundles with errors are left out).
    public private(set) var errors: [FlowDiagnostic] = []
    /// How many bundle folders were read.
    public private(set) var bundleCount = 0

    /// An empty catalog.
    public init() {}

    /// The newest version of a bundle.
    public func latest(_ id: String) -> FormBundle? {
        versions[id].flatMap { byVersion in byVersion.keys.max().flatMap { byVersion[$0] } }
    }

    /// One version of a bundle.
    public func bundle(_ id: String, version: Int) -> FormBundle? { versions[id]?[version] }

    /// The ids of the loaded bundles, sorted.
    public var ids: [String] { versions.keys.sorted() }

    /// Adds a loaded bundle (a new version sits beside the older ones).
    public mutating func add(_ bundle: FormBundle) { versions[bundle.id, default: [:]][bundle.version] = bundle }

    /// The bundle folders in `directory` (those holding a `flow.yaml`), sorted.
    public static func bundleFolders(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().filter { FileManager.default.fileExists(atPath: directory + "/" + $0 + "/flow.yaml") }
    }

    /// Loads every bundle folder in `directory`; bases load before the bundles extending them.
    /// - Parameter displayPath: how messages name the folder.
    public mutating func load(directory: String, displayPath: String? = nil) {
        let display = displayPath ?? directory
        var files: [BundleFiles] = []
        for name in Self.bundleFolders(in: directory) {
            do {
                files.append(try BundleFiles.read(directory: directory + "/" + name, displayPath: display + "/" + name))
            } catch {
                errors += error.diagnostics
            }
        }
        load(files)
    }

    /// Loads bundles from files already read; bases load before the bundles extending them.
    public mutating func load(_ bundles: [BundleFiles]) {
        bundleCount += bundles.count
        var parts: [String: (part: BundlePart, diagnostics: [FlowDiagnostic])] = [:]
        for files in bundles {
            let (part, diagnostics) = FormBundleLoader.part(files)
            if let part {
                parts[part.flow.id] = (part, diagnostics)
            } else {
                errors += diagnostics.filter { $0.severity == .error }
                warnings += diagnostics.filter { $0.severity == .warning }
            }
        }
        let ordered = parts.values.sorted { ($0.part.flow.extends != nil ? 1 : 0, $0.part.flow.id) < ($1.part.flow.extends != nil ? 1 : 0, $1.part.flow.id) }
        for (part, diagnostics) in ordered {
            let base = part.flow.extends.flatMap { parts[$0]?.part }
            switch FormBundleLoader.load(part, base: base, earlier: diagnostics) {
            case .success(let loaded):
                add(loaded.bundle)
                warnings += loaded.warnings
            case .failure(let failure):
                errors += failure.diagnostics.filter { $0.severity == .error }
                warnings += failure.diagnostics.filter { $0.severity == .warning }
            }
        }
        errors = FlowDiagnostic.sorted(errors)
        warnings = FlowDiagnostic.sorted(warnings)
    }
}

/// `Forms/versions.lock`: the digest of every published bundle version. A published
/// version never changes: a bundle whose version is listed with another digest is an
/// error, so a town that edits a bundle must raise its version.
///
/// One line per version: `<id> <version> sha256:<hex>`; `#` starts a comment.
public struct VersionLock: Sendable, Hashable {
    /// Digests by id and version.
    public var digests: [String: [Int: String]] = [:]

    /// An empty lock.
    public init() {}

    /// Reads the lock text, reporting lines it cannot read.
    public static func parse(_ text: String, file: String) -> Result<VersionLock, FlowLoadError> {
        var lock = VersionLock()
        var problems: [FlowDiagnostic] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.isEmpty { continue }
            guard words.count == 3, NameRule.slug.accepts(words[0]), let version = Int(words[1]), version >= 1,
                words[2].hasPrefix("sha256:"), words[2].count == 71,
                words[2].dropFirst(7).allSatisfy({ $0.isHexDigit && !$0.isUppercase })
            else {
                problems.append(.error(
                    .version, FilePosition(file: file, line: number + 1, column: 1),
                    ja: "この行は読めません。「<id> <version> sha256:<64 桁の16進数>」の形にしてください。",
                    en: "this line cannot be read; write it as \"<id> <version> sha256:<64 hex digits>\"."))
                continue
            }
            if lock.digests[words[0]]?[version] != nil {
                problems.append(.error(
                    .version, FilePosition(file: file, line: number + 1, column: 1),
                    ja: "「\(words[0])」のバージョン \(version) が二度あります。", en: "version \(version) of \"\(words[0])\" is listed twice."))
                continue
            }
            lock.digests[words[0], default: [:]][version] = words[2]
        }
        return problems.isEmpty ? .success(lock) : .failure(FlowLoadError(problems))
    }

    /// The lock as text, sorted.
    public var text: String {
        var lines = ["# Published form versions: never edit a published version; raise `version` instead.", "# <id> <version> sha256:<digest of the bundle's files>"]
        for id in digests.keys.sorted() {
            for version in (digests[id] ?? [:]).keys.sorted() { lines.append("\(id) \(version) \(digests[id]?[version] ?? "")") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An error when `id`'s `version` was published with another digest.
    public func check(id: String, version: Int, digest: String, at location: FilePosition) -> FlowDiagnostic? {
        guard let published = digests[id]?[version], published != digest else { return nil }
        let next = (digests[id]?.keys.max() ?? version) + 1
        return .error(
            .version, location,
            ja: "「\(id)」のバージョン \(version) は公開済みで、内容を変えられません。変更するときは version を \(next) に上げてください。",
            en: "version \(version) of \"\(id)\" has been published and may not change; raise version to \(next) to change it.")
    }

    /// The bytes a bundle's digest covers: every file but the examples, sorted by path,
    /// each as its path, a NUL, its length and its text.
    public static func digestInput(_ files: BundleFiles) -> [UInt8] {
        var bytes: [UInt8] = []
        for path in files.texts.keys.sorted() {
            guard let text = files.texts[path] else { continue }
            let utf8 = Array(text.utf8)
            bytes += Array(path.utf8) + [0] + Array(String(utf8.count).utf8) + [0] + utf8
        }
        for path in files.others.sorted() { bytes += Array(path.utf8) + [0] }
        return bytes
    }
}
