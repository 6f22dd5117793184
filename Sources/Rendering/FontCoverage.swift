internal import CPangoCairo

/// Which installed font draws each character of a text, decided per character with
/// HarfBuzz because Pango does not: it neither switches fonts for a variation selector nor
/// counts a plain glyph drawn instead of a variant as unknown (device-stack.md §4).
///
/// Not shared between threads (Pango's rule): one per renderer.
final class FontCoverage {
    /// A font family as loaded: its HarfBuzz font and every family name it carries.
    struct Face {
        let family: String
        let font: OpaquePointer
        let hbFont: OpaquePointer
    }

    /// What went wrong with one character.
    enum Problem: Hashable {
        /// No installed font has the character: its box shows, and staff check the field.
        case missingGlyph
        /// A font has the character but none its variation sequence: the base is drawn.
        case missingVariant
    }

    /// A stretch of text drawn in one family (UTF-8 byte offsets into the laid-out text).
    struct Run: Hashable {
        var start: Int
        var end: Int
        var family: String
    }

    /// The product's fonts, tried after the one a document names: the same style first
    /// (明朝 after 明朝, ゴシック after ゴシック), then the other.
    static func fallbacks(after family: String) -> [String] {
        let name = normalized(family)
        return name.contains("mincho") || name.contains("明朝")
            ? ["BIZ UDMincho", "IPAmjMincho", "BIZ UDGothic"] : ["BIZ UDGothic", "BIZ UDMincho", "IPAmjMincho"]
    }

    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    private var faces: [String: Face?] = [:]

    init() {
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
    }

    deinit {
        for case let face? in faces.values { madoguchi_pangocairo_unref(UnsafeMutableRawPointer(face.font)) }
        madoguchi_pangocairo_unref(UnsafeMutableRawPointer(context))
        madoguchi_pangocairo_unref(UnsafeMutableRawPointer(fontMap))
    }

    /// The installed face of `family` (matched against every family name in the font, so
    /// `IPAmj明朝` and `IPAmjMincho` are the same), or nil when fontconfig would substitute.
    func face(_ family: String) -> Face? {
        if let known = faces[family] { return known }
        let description = pango_font_description_new()
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, family)
        pango_font_description_set_absolute_size(description, 12 * Double(PANGO_SCALE))
        var face: Face?
        if let font = pango_font_map_load_font(fontMap, context, description) {
            let hbFont = pango_font_get_hb_font(font)
            if let hbFont, Self.familyNames(hb_font_get_face(hbFont)).contains(Self.normalized(family)) {
                face = Face(family: family, font: OpaquePointer(font), hbFont: hbFont)
            } else {
                madoguchi_pangocairo_unref(UnsafeMutableRawPointer(font))
            }
        }
        faces[family] = face
        return face
    }

    /// The glyph `face` draws for `scalar` (with `selector`, a variation sequence), or nil.
    func glyph(_ face: Face, _ scalar: Unicode.Scalar, selector: Unicode.Scalar? = nil) -> UInt32? {
        var glyph: hb_codepoint_t = 0
        let found =
            if let selector { hb_font_get_variation_glyph(face.hbFont, scalar.value, selector.value, &glyph) }
            else { hb_font_get_nominal_glyph(face.hbFont, scalar.value, &glyph) }
        return found != 0 ? glyph : nil
    }

    /// Splits `text` into runs of the first family (of `preferred`, then the product's
    /// fonts) that has each character, and reports the characters none has. Variation
    /// selectors no chosen font can draw are dropped from `text`, so the base is drawn.
    func plan(_ text: String, preferred: Face) -> (text: String, runs: [Run], problems: Set<Problem>) {
        let order = [preferred] + Self.fallbacks(after: preferred.family).compactMap { face($0) }
            .filter { Self.normalized($0.family) != Self.normalized(preferred.family) }
        var output = ""
        var runs: [Run] = []
        var problems: Set<Problem> = []
        var clusters: [(base: Unicode.Scalar, selector: Unicode.Scalar?)] = []
        for scalar in text.unicodeScalars {
            if Self.isVariationSelector(scalar), let last = clusters.last, last.selector == nil {
                clusters[clusters.count - 1].selector = scalar
            } else {
                clusters.append((scalar, nil))
            }
        }
        for cluster in clusters {
            var chosen = preferred
            var keepsSelector = cluster.selector != nil
            if cluster.base.value < 0x20 || cluster.base.properties.isWhitespace || Self.isVariationSelector(cluster.base) {
                keepsSelector = false
            } else if let selector = cluster.selector {
                if let face = order.first(where: { glyph($0, cluster.base, selector: selector) != nil }) {
                    chosen = face
                } else if let face = order.first(where: { glyph($0, cluster.base) != nil }) {
                    chosen = face
                    keepsSelector = false
                    problems.insert(.missingVariant)
                } else {
                    keepsSelector = false
                    problems.insert(.missingGlyph)
                }
            } else if let face = order.first(where: { glyph($0, cluster.base) != nil }) {
                chosen = face
            } else {
                problems.insert(.missingGlyph)
            }
            let start = output.utf8.count
            output.unicodeScalars.append(cluster.base)
            if keepsSelector, let selector = cluster.selector { output.unicodeScalars.append(selector) }
            let end = output.utf8.count
            if let last = runs.last, last.family == chosen.family, last.end == start {
                runs[runs.count - 1].end = end
            } else {
                runs.append(Run(start: start, end: end, family: chosen.family))
            }
        }
        return (output, runs, problems)
    }

    static func isVariationSelector(_ scalar: Unicode.Scalar) -> Bool {
        (0xFE00...0xFE0F).contains(scalar.value) || (0xE0100...0xE01EF).contains(scalar.value)
    }

    /// Case and spaces do not count: `BIZ UDGothic` = `bizudgothic`.
    static func normalized(_ family: String) -> String {
        String(family.lowercased().filter { !$0.isWhitespace })
    }

    /// Every family name (name ids 1 and 16, all languages) in a face's name table.
    private static func familyNames(_ face: OpaquePointer?) -> Set<String> {
        var count: UInt32 = 0
        guard let entries = hb_ot_name_list_names(face, &count) else { return [] }
        var names: Set<String> = []
        for index in 0..<Int(count) {
            let entry = entries[index]
            guard entry.name_id == HB_OT_NAME_ID_FONT_FAMILY || entry.name_id == HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY else { continue }
            var size: UInt32 = 0
            let length = hb_ot_name_get_utf8(face, entry.name_id, entry.language, &size, nil)
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            size = UInt32(buffer.count)
            hb_ot_name_get_utf8(face, entry.name_id, entry.language, &size, &buffer)
            names.insert(normalized(String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        return names
    }
}
