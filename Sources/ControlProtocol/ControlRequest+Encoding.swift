extension ControlRequest {
    /// The JSON line the client sends, newline included: `{"command":"queue.retry","id":"…"}`.
    public func encodedLine() -> [UInt8] {
        var text = #"{"command":""# + command.rawValue + "\""
        if case .queueRetry(let target) = self {
            switch target {
            case .id(let id): text += #","id":"# + Self.jsonString(id)
            case .all: text += #","all":true"#
            }
        }
        return Array((text + "}\n").utf8)
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
