import Contracts
import Foundation

/// The files of one bundle folder, read into memory: the loader works on these, so tests
/// and fuzzers can hand it bundles without touching the disk.
public struct BundleFiles: Sendable, Hashable {
    /// The folder as people name it in messages (`Forms/okuyami`).
    public var directory: String
    /// Text files by path relative to the folder (`flow.yaml`, `strings/ja.yaml`).
    public var texts: [String: String]
    /// Other files (images) by relative path.
    public var others: Set<String>

    /// Creates a file set.
    public init(directory: String, texts: [String: String], others: Set<String> = []) {
        self.directory = directory
        self.texts = texts
        self.others = others
    }

    /// The bundle id the folder name gives.
    public var folderName: String { directory.split(separator: "/").last.map(String.init) ?? directory }

    /// Reads a bundle folder: `flow.yaml`, `documents/*.yaml`, `strings/*.yaml`, and the
    /// names of the files in `documents/images/`.
    /// - Parameter displayPath: how messages name the folder (default: `path`).
    public static func read(directory path: String, displayPath: String? = nil) throws(FlowLoadError) -> BundleFiles {
        let display = displayPath ?? path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FlowLoadError([
                .error(
                    .layout, FilePosition(file: display),
                    ja: "フォームのフォルダー「\(display)」がありません。Forms/<id>/ のパスを指定してください。",
                    en: "there is no bundle folder \"\(display)\"; give the path of a Forms/<id>/ folder.")
            ])
        }
        var files = BundleFiles(directory: display, texts: [:])
        func readText(_ relative: String) throws(FlowLoadError) {
            guard let data = manager.contents(atPath: path + "/" + relative) else { return }
            guard let text = String(data: data, encoding: .utf8) else {
                throw FlowLoadError([
                    .error(
                        .syntax, FilePosition(file: display + "/" + relative),
                        ja: "UTF-8 のテキストではありません。UTF-8 で保存してください。",
                        en: "the file is not UTF-8 text; save it as UTF-8.")
                ])
            }
            files.texts[relative] = text
        }
        try readText("flow.yaml")
        for folder in ["documents", "strings"] {
            let names = (try? manager.contentsOfDirectory(atPath: path + "/" + folder)) ?? []
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                try readText(folder + "/" + name)
            }
        }
        for name in (try? manager.contentsOfDirectory(atPath: path + "/documents/images")) ?? [] {
            files.others.insert("documents/images/" + name)
        }
        return files
    }
}

/// A bundle as read from its own folder, before `extends` is resolved.
public struct BundlePart: Sendable, Hashable {
    /// The files.
    public var files: BundleFiles
    /// `flow.yaml`.
    public var flow: FlowDefinition
    /// Documents by id.
    public var documents: [String: BundleDocument]
    /// Strings by language.
    public var strings: [BundleLanguage: StringTable]
}

/// A loaded, checked bundle: what the runner and the screens use. Immutable: a flow in
/// progress keeps the value it started with, whatever is loaded later.
public struct FormBundle: Sendable, Hashable {
    /// The bundle id.
    public var id: String
    /// Its version.
    public var version: Int
    /// The bundle it extends, with that bundle's version.
    public var base: (id: String, version: Int)?
    /// String key of the form's name.
    public var title: String
    /// Whether a card is read first.
    public var identity: IdentityRequirement
    /// Questions in the order asked.
    public var questions: [Question]
    /// Computed values, in an order where each comes after those it uses.
    public var computed: [ComputedValue]
    /// Procedures in checklist order.
    public var procedures: [Procedure]
    /// The checklist document.
    public var checklist: String?
    /// Documents by id.
    public var documents: [String: BundleDocument]
    /// Strings by language.
    public var strings: [BundleLanguage: StringTable]
    /// The folder it was read from (of the extending bundle).
    public var directory: String
    /// The reference table expressions were checked against.
    public var symbols: ExpressionSymbols

    /// Equality of everything but the base tuple's identity.
    public static func == (lhs: FormBundle, rhs: FormBundle) -> Bool {
        lhs.id == rhs.id && lhs.version == rhs.version && lhs.base?.id == rhs.base?.id
            && lhs.base?.version == rhs.base?.version && lhs.title == rhs.title && lhs.identity == rhs.identity
            && lhs.questions == rhs.questions && lhs.computed == rhs.computed && lhs.procedures == rhs.procedures
            && lhs.checklist == rhs.checklist && lhs.documents == rhs.documents && lhs.strings == rhs.strings
    }

    /// Hashes id and version.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(version)
    }

    /// The question with `id`.
    public func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// The text of a string key in `language`, falling back to Japanese; markup removed.
    public func text(_ key: String, in language: BundleLanguage = .ja, values: [String: String] = [:]) -> String {
        (strings[language]?.strings[key] ?? strings[.ja]?.strings[key])?.plainText(values) ?? key
    }
}

/// A bundle that loaded, with the warnings found on the way.
public struct LoadedBundle: Sendable, Hashable {
    /// The bundle.
    public var bundle: FormBundle
    /// Warnings (never errors).
    public var warnings: [FlowDiagnostic]
}
