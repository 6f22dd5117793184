/// A bundle's logic as a Graphviz `dot` picture for clerks (`madoguchi forms graph`):
/// questions in the order asked (staff questions shaded), computed values, procedures, and
/// an arrow from every answer or computed value to what its conditions use it for.
public enum FlowGraph {
    /// The `dot` text of `bundle`, labelled in `language` (falling back to Japanese).
    public static func dot(_ bundle: FormBundle, language: BundleLanguage = .ja) -> String {
        var lines = [
            "digraph \(quote(bundle.id)) {",
            "  graph [rankdir=TB, label=\(quote("\(bundle.text(bundle.title, in: language)) (\(bundle.id) v\(bundle.version))")), labelloc=t, fontname=\"BIZ UDGothic\"];",
            "  node [fontname=\"BIZ UDGothic\", fontsize=11];",
            "  edge [fontname=\"BIZ UDGothic\", fontsize=9];",
        ]
        func label(_ id: String, _ key: String) -> String { quote("\(id)\n\(wrap(bundle.text(key, in: language)))") }
        for question in bundle.questions {
            let style = question.answeredBy == .staff ? ", style=filled, fillcolor=\"#fff2b3\"" : ""
            lines.append("  \(node("q", question.id)) [shape=box, label=\(label(question.id, question.text))\(style)];")
        }
        for (previous, next) in zip(bundle.questions, bundle.questions.dropFirst()) {
            lines.append("  \(node("q", previous.id)) -> \(node("q", next.id)) [style=dashed, color=gray, arrowhead=none];")
        }
        for value in bundle.computed {
            lines.append("  \(node("c", value.name)) [shape=ellipse, label=\(quote("computed.\(value.name)\n\(wrap(value.expression.text))"))];")
            lines += edges(to: node("c", value.name), from: value.expression, label: nil)
        }
        for question in bundle.questions {
            if let when = question.when { lines += edges(to: node("q", question.id), from: when, label: "when") }
        }
        for procedure in bundle.procedures {
            let documents = procedure.documents.isEmpty ? "" : "\n📄 " + procedure.documents.joined(separator: ", ")
            lines.append("  \(node("p", procedure.id)) [shape=note, style=filled, fillcolor=\"#d9ecff\", label=\(quote("\(procedure.id)\n\(wrap(bundle.text(procedure.title, in: language)))\(documents)"))];")
            lines += edges(to: node("p", procedure.id), from: procedure.applies, label: "applies")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func edges(to target: String, from source: SourceExpression, label: String?) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for (reference, _) in source.expression.references {
            guard let name = reference.names.first else { continue }
            let from: String
            switch reference.root {
            case .answers: from = node("q", name)
            case .computed: from = node("c", name)
            default: continue
            }
            guard seen.insert(from).inserted else { continue }
            let text = label.map { ", label=\(quote($0 == "when" ? "when: " + short(source.text) : $0))" } ?? ""
            result.append("  \(from) -> \(target) [color=\"#3366aa\"\(text)];")
        }
        return result
    }

    private static func node(_ kind: String, _ id: String) -> String { quote("\(kind):\(id)") }

    private static func short(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// Breaks long labels every 20 characters.
    private static func wrap(_ text: String) -> String {
        var result = ""
        var count = 0
        for character in text {
            if count >= 20 && (character == " " || !character.isASCII) {
                result += "\n"
                count = 0
                if character == " " { continue }
            }
            result.append(character)
            count += 1
        }
        return result
    }

    /// A `dot` string literal.
    static func quote(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
