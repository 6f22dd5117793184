import Contracts
import MadoguchiCore

/// Loads bundles: reads each file, decodes it with located errors, resolves `extends`,
/// and runs every check of `docs/contracts/form-bundle.md` (`FlowChecker`). Returns the
/// bundle or every problem at once, sorted by place.
public enum FormBundleLoader {
    /// Reads one folder's files into a part (no `extends` resolution, no semantic checks).
    public static func part(_ files: BundleFiles) -> (part: BundlePart?, diagnostics: [FlowDiagnostic]) {
        var reader = NodeReader()
        let prefix = files.directory + "/"
        for (path, text) in files.texts {
            reader.sources[prefix + path] = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        func load(_ path: String) -> DataNode? {
            guard let text = files.texts[path] else { return nil }
            do {
                return try DataLoader.loadYAML(text, file: prefix + path)
            } catch {
                reader.diagnostics.append(FlowDiagnostic(.error, .syntax, at: error.location, BilingualText(
                    ja: "書式の誤りで読めません(\(error.reason))。この箇所を直してください。",
                    en: "cannot be read: \(error.reason). Fix the text at this place.")))
                return nil
            }
        }
        guard files.texts["flow.yaml"] != nil else {
            reader.error(
                .layout, FilePosition(file: prefix + "flow.yaml"),
                ja: "flow.yaml がありません。フォームのフォルダーには flow.yaml が必要です。",
                en: "there is no flow.yaml; every bundle folder needs one.")
            return (nil, reader.diagnostics)
        }
        var flow: FlowDefinition?
        if let root = load("flow.yaml") {
            flow = reader.decodeFlow(root)
            if let flow, flow.id != files.folderName, let idNode = root["id"] {
                reader.error(
                    .layout, idNode.location,
                    ja: "id「\(flow.id)」がフォルダー名「\(files.folderName)」と違います。同じにしてください。",
                    en: "the id \"\(flow.id)\" differs from the folder name \"\(files.folderName)\"; make them equal.")
            }
        }
        var documents: [String: BundleDocument] = [:]
        var strings: [BundleLanguage: StringTable] = [:]
        for path in files.texts.keys.sorted() {
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count == 2 else { continue }
            let name = parts[1].hasSuffix(".yml") ? String(parts[1].dropLast(4)) : String(parts[1].dropLast(5))
            switch parts[0] {
            case "documents":
                guard NameRule.slug.accepts(name) else {
                    reader.error(
                        .layout, FilePosition(file: prefix + path),
                        ja: "文書ファイル名「\(name)」は使えません。\(NameRule.slug.ja)にしてください。",
                        en: "the document file name \"\(name)\" is not allowed; use \(NameRule.slug.en).")
                    continue
                }
                if let root = load(path), let document = reader.decodeDocument(root, expectedId: name) {
                    documents[name] = document
                }
            case "strings":
                guard let language = BundleLanguage(rawValue: name) else {
                    reader.error(
                        .layout, FilePosition(file: prefix + path),
                        ja: "strings/\(parts[1]) は使えません。ja.yaml、en.yaml、ja-easy.yaml のどれかにしてください。",
                        en: "strings/\(parts[1]) is not a language file; use ja.yaml, en.yaml or ja-easy.yaml.")
                    continue
                }
                if let root = load(path), let table = reader.decodeStrings(root, expected: language) {
                    strings[language] = table
                }
            default:
                continue
            }
        }
        if files.texts["strings/ja.yaml"] == nil, flow?.extends == nil {
            reader.error(
                .layout, FilePosition(file: prefix + "strings/ja.yaml"),
                ja: "strings/ja.yaml がありません。日本語の文言はすべてのフォームに必要です。",
                en: "there is no strings/ja.yaml; every bundle needs its Japanese strings.")
        }
        guard let flow else { return (nil, reader.diagnostics) }
        return (BundlePart(files: files, flow: flow, documents: documents, strings: strings), reader.diagnostics)
    }

    /// Loads one bundle. When it `extends` another, `base` must be that bundle's part
    /// (`FormCatalog` finds it).
    public static func load(_ files: BundleFiles, base: BundlePart? = nil) -> Result<LoadedBundle, FlowLoadError> {
        let (part, diagnostics) = self.part(files)
        guard let part else { return .failure(FlowLoadError(FlowDiagnostic.sorted(diagnostics))) }
        return load(part, base: base, earlier: diagnostics)
    }

    /// Loads a bundle from parts already read.
    public static func load(_ part: BundlePart, base: BundlePart?, earlier: [FlowDiagnostic] = []) -> Result<LoadedBundle, FlowLoadError> {
        var diagnostics = earlier
        let merged: BundlePart
        if let name = part.flow.extends {
            let location = part.flow.location
            guard let base, base.flow.id == name else {
                diagnostics.append(.error(
                    .extends, location,
                    ja: "extends の「\(name)」というフォームが見つかりません。Forms/\(name)/ があるか確かめてください。",
                    en: "the bundle \"\(name)\" named by extends was not found; check that Forms/\(name)/ exists."))
                return .failure(FlowLoadError(FlowDiagnostic.sorted(diagnostics)))
            }
            if let baseBase = base.flow.extends {
                diagnostics.append(.error(
                    .extends, location,
                    ja: "引き継ぐフォーム「\(name)」自身が「\(baseBase)」を引き継いでいます。引き継ぎは一段だけにしてください。",
                    en: "the base bundle \"\(name)\" itself extends \"\(baseBase)\"; a base may not extend another bundle."))
                return .failure(FlowLoadError(FlowDiagnostic.sorted(diagnostics)))
            }
            var reader = NodeReader()
            merged = BundleMerger.merge(part, onto: base, reader: &reader)
            diagnostics += reader.diagnostics
        } else {
            merged = part
        }
        var checker = FlowChecker(part: merged, sound: !diagnostics.contains { $0.severity == .error })
        let bundle = checker.check()
        diagnostics += checker.diagnostics
        let sorted = FlowDiagnostic.sorted(diagnostics)
        guard let bundle, !sorted.contains(where: { $0.severity == .error }) else { return .failure(FlowLoadError(sorted)) }
        var result = bundle
        result.base = part.flow.extends.flatMap { _ in base.map { ($0.flow.id, $0.flow.version) } }
        result.directory = part.files.directory
        return .success(LoadedBundle(bundle: result, warnings: sorted))
    }
}

/// Applies an extending bundle to its base (`docs/contracts/form-bundle.md`, "Extending a
/// bundle").
enum BundleMerger {
    static func merge(_ part: BundlePart, onto base: BundlePart, reader: inout NodeReader) -> BundlePart {
        let flow = part.flow
        var merged = base
        merged.files = part.files
        merged.flow.id = flow.id
        merged.flow.version = flow.version
        merged.flow.extends = nil
        merged.flow.title = flow.title ?? base.flow.title
        merged.flow.identity = flow.identity ?? base.flow.identity
        merged.flow.checklist = flow.checklist ?? base.flow.checklist
        merged.flow.location = flow.location
        merged.flow.brokenIds.formUnion(flow.brokenIds)

        func removeItems<Item>(_ items: inout [Item], ids: [String], id: (Item) -> String, kind: Subject) {
            for removed in ids {
                if let index = items.firstIndex(where: { id($0) == removed }) {
                    items.remove(at: index)
                } else {
                    reader.error(
                        .extends, flow.location,
                        ja: "remove の\(kind.ja)「\(removed)」は引き継ぐフォーム「\(base.flow.id)」にありません。",
                        en: "remove names \(kind.en) \"\(removed)\", which base bundle \"\(base.flow.id)\" does not have.")
                }
            }
        }
        func overlay<Item>(_ items: inout [Item], with own: [Item], id: (Item) -> String, after: (Item) -> String?, location: (Item) -> FilePosition, kind: Subject) {
            for item in own {
                if let index = items.firstIndex(where: { id($0) == id(item) }) {
                    items[index] = item
                } else if let anchor = after(item) {
                    if let index = items.firstIndex(where: { id($0) == anchor }) {
                        items.insert(item, at: index + 1)
                    } else {
                        reader.error(
                            .extends, location(item),
                            ja: "\(kind.ja)「\(id(item))」の after「\(anchor)」がありません。ある\(kind.ja)の id を書いてください。",
                            en: "after \"\(anchor)\" of \(kind.en) \"\(id(item))\" names nothing; use the id of an existing \(kind.en).")
                        items.append(item)
                    }
                } else {
                    items.append(item)
                }
            }
        }
        removeItems(&merged.flow.questions, ids: flow.remove.questions, id: \.id, kind: Subject(ja: "質問", en: "question"))
        removeItems(&merged.flow.computed, ids: flow.remove.computed, id: \.name, kind: Subject(ja: "計算値", en: "computed value"))
        removeItems(&merged.flow.procedures, ids: flow.remove.procedures, id: \.id, kind: Subject(ja: "手続き", en: "procedure"))
        overlay(&merged.flow.questions, with: flow.questions, id: \.id, after: \.after, location: \.location, kind: Subject(ja: "質問", en: "question"))
        overlay(&merged.flow.computed, with: flow.computed, id: \.name, after: { _ in nil }, location: \.location, kind: Subject(ja: "計算値", en: "computed value"))
        overlay(&merged.flow.procedures, with: flow.procedures, id: \.id, after: \.after, location: \.location, kind: Subject(ja: "手続き", en: "procedure"))
        for (id, document) in part.documents { merged.documents[id] = document }
        for (language, table) in part.strings {
            if var inherited = merged.strings[language] {
                for (key, value) in table.strings { inherited.strings[key] = value }
                merged.strings[language] = inherited
            } else {
                merged.strings[language] = table
            }
        }
        return merged
    }
}

extension FormBundleLoader {
    /// Loads one bundle folder (and the base it extends, from beside it).
    public static func load(folder: String) -> Result<LoadedBundle, FlowLoadError> {
        let files: BundleFiles
        do throws(FlowLoadError) {
            files = try BundleFiles.read(directory: folder)
        } catch {
            return .failure(error)
        }
        let (part, diagnostics) = FormBundleLoader.part(files)
        guard let part else { return .failure(FlowLoadError(FlowDiagnostic.sorted(diagnostics))) }
        var base: BundlePart?
        var earlier = diagnostics
        if let name = part.flow.extends {
            let parent = folder.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            let baseFolder = (parent.isEmpty ? "." : parent) + "/" + name
            if let baseFiles = try? BundleFiles.read(directory: baseFolder) {
                let (basePart, baseDiagnostics) = FormBundleLoader.part(baseFiles)
                base = basePart
                earlier += baseDiagnostics.filter { $0.severity == .error }
            }
        }
        return FormBundleLoader.load(part, base: base, earlier: earlier)
    }
}
