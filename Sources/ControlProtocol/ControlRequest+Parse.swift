import MadoguchiCore

extension ControlRequest {
    /// Reads one request line (without its newline) strictly: UTF-8, one JSON object, a
    /// known `"command"`, exactly the members that command takes, each of the right type.
    ///
    /// Every refusal names what is wrong, the byte offset (0-based) and what to send
    /// instead; it never repeats the client's text except identifier-like words.
    public static func parse(_ bytes: [UInt8]) -> Result<ControlRequest, ControlProtocolError> {
        typealias E = ControlProtocolError
        guard bytes.count <= maximumBytes else { return .failure(.tooLarge(limit: maximumBytes)) }
        if let offset = firstInvalidUTF8(bytes) {
            let at = E.at(offset)
            return .failure(
                E(
                    code: .notUTF8, offset: offset,
                    message: BilingualText(
                        ja: "要求が UTF-8 の文字列ではありません(\(at.ja)に不正なバイト)。バイナリではなく UTF-8 の JSON を 1 行で送ってください。例: \(E.example)",
                        en: "The request is not UTF-8 text (invalid byte \(at.en)). Send one line of UTF-8 JSON, not binary data, e.g. \(E.example)")))
        }
        guard bytes.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { return .failure(.empty()) }

        let root: JSONScanner.Located
        do {
            root = try JSONScanner.parse(bytes)
        } catch {
            let at = E.at(error.offset)
            return .failure(
                E(
                    code: .invalidJSON, offset: error.offset,
                    message: BilingualText(
                        ja: "要求が JSON として読めません(\(at.ja)に\(error.expectedJA)が必要です)。JSON オブジェクトを 1 行で送ってください。例: \(E.example)",
                        en: "The request is not valid JSON (expected \(error.expectedEN) \(at.en)). Send one JSON object per line, e.g. \(E.example)")))
        }

        guard case .object(let members) = root.value else {
            let at = E.at(root.offset)
            let kind = root.value.kind
            return .failure(
                E(
                    code: .notAnObject, offset: root.offset,
                    message: BilingualText(
                        ja: "要求は JSON オブジェクト {…} でなければなりません(\(at.ja)から\(kind.ja)があります)。例: \(E.example)",
                        en: "The request must be a JSON object {…}, but \(at.en) there is \(kind.en). Example: \(E.example)")))
        }

        var seen: [String: Int] = [:]
        for member in members {
            if seen[member.key] != nil {
                let at = E.at(member.keyOffset)
                let name = E.quoted(member.key)
                return .failure(
                    E(
                        code: .duplicateField, offset: member.keyOffset,
                        message: BilingualText(
                            ja: "項目\(name.ja)が 2 回あります(\(at.ja))。1 回だけにしてください。",
                            en: "The member \(name.en) appears twice (\(at.en)). Give it once.")))
            }
            seen[member.key] = member.keyOffset
        }
        let value = { (key: String) in members.first { $0.key == key }?.value }

        guard let commandValue = value("command") else {
            let at = E.at(root.offset)
            return .failure(
                E(
                    code: .missingCommand, offset: root.offset,
                    message: BilingualText(
                        ja: "\(at.ja)からのオブジェクトに \"command\" がありません。使えるコマンド: \(ControlCommand.list)。例: \(E.example)",
                        en: "The object \(at.en) has no \"command\". Commands: \(ControlCommand.list). Example: \(E.example)")))
        }
        guard case .string(let name) = commandValue.value else {
            return .failure(wrongType("command", commandValue, expected: ("文字列", "a string")))
        }
        guard let command = ControlCommand(rawValue: name) else {
            let at = E.at(commandValue.offset)
            let quoted = E.quoted(name)
            return .failure(
                E(
                    code: .unknownCommand, offset: commandValue.offset,
                    message: BilingualText(
                        ja: "コマンド\(quoted.ja)はありません(\(at.ja))。使えるコマンド: \(ControlCommand.list)。",
                        en: "Unknown command \(quoted.en) (\(at.en)). Commands: \(ControlCommand.list).")))
        }

        let allowed: Set<String> = command == .queueRetry ? ["command", "id", "all"] : ["command"]
        if let extra = members.first(where: { !allowed.contains($0.key) }) {
            let at = E.at(extra.keyOffset)
            let quoted = E.quoted(extra.key)
            let accepted = allowed.subtracting(["command"]).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            let acceptedJA = accepted.isEmpty ? "\"command\" 以外の項目はありません" : "使える項目は \(accepted) です"
            let acceptedEN = accepted.isEmpty ? "it takes nothing but \"command\"" : "it takes \(accepted)"
            return .failure(
                E(
                    code: .unknownField, offset: extra.keyOffset,
                    message: BilingualText(
                        ja: "コマンド \(command.rawValue) は項目\(quoted.ja)を受け付けません(\(at.ja))。\(acceptedJA)。",
                        en: "The command \(command.rawValue) does not take the member \(quoted.en) (\(at.en)); \(acceptedEN).")))
        }

        switch command {
        case .status: return .success(.status)
        case .stats: return .success(.stats)
        case .queuePause: return .success(.queuePause)
        case .queueResume: return .success(.queueResume)
        case .printerStatus: return .success(.printerStatus)
        case .sessionCancel: return .success(.sessionCancel)
        case .queueRetry:
            return queueRetry(id: value("id"), all: value("all"), objectOffset: root.offset)
        }
    }

    private static func queueRetry(
        id: JSONScanner.Located?, all: JSONScanner.Located?, objectOffset: Int
    ) -> Result<ControlRequest, ControlProtocolError> {
        typealias E = ControlProtocolError
        let usage = #"{"command":"queue.retry","id":"<UUID>"} / {"command":"queue.retry","all":true}"#
        if let id, let all {
            let at = E.at(max(id.offset, all.offset))
            return .failure(
                E(
                    code: .conflictingArguments, offset: max(id.offset, all.offset),
                    message: BilingualText(
                        ja: "queue.retry には \"id\" か \"all\" のどちらか一方を指定してください(両方あります。\(at.ja))。例: \(usage)",
                        en: "queue.retry takes either \"id\" or \"all\", not both (\(at.en)). Example: \(usage)")))
        }
        if let id {
            guard case .string(let text) = id.value else {
                return .failure(wrongType("id", id, expected: ("UUID の文字列", "a UUID string")))
            }
            guard let canonical = canonicalUUID(text) else {
                let at = E.at(id.offset)
                return .failure(
                    E(
                        code: .invalidArgument, offset: id.offset,
                        message: BilingualText(
                            ja: "\"id\" が UUID(8-4-4-4-12 桁の 16 進数)ではありません(\(at.ja))。`madoguchi queue list` で送信の ID を確認してください。",
                            en: "\"id\" is not a UUID (8-4-4-4-12 hex digits) (\(at.en)). See `madoguchi queue list` for submission ids.")))
            }
            return .success(.queueRetry(.id(canonical)))
        }
        if let all {
            guard case .bool(let flag) = all.value else {
                return .failure(wrongType("all", all, expected: ("true", "true")))
            }
            guard flag else {
                let at = E.at(all.offset)
                return .failure(
                    E(
                        code: .invalidArgument, offset: all.offset,
                        message: BilingualText(
                            ja: "\"all\" は true だけを受け付けます(\(at.ja)が false)。1 件だけなら \"id\" を指定してください。例: \(usage)",
                            en: "\"all\" accepts only true (it is false \(at.en)); to retry one submission give \"id\". Example: \(usage)")))
            }
            return .success(.queueRetry(.all))
        }
        let at = E.at(objectOffset)
        return .failure(
            E(
                code: .missingArgument, offset: objectOffset,
                message: BilingualText(
                    ja: "queue.retry には \"id\"(送信の UUID)か \"all\": true が必要です(\(at.ja)からのオブジェクト)。例: \(usage)",
                    en: "queue.retry needs \"id\" (a submission UUID) or \"all\": true (object \(at.en)). Example: \(usage)")))
    }

    private static func wrongType(
        _ member: String, _ value: JSONScanner.Located, expected: (ja: String, en: String)
    ) -> ControlProtocolError {
        let at = ControlProtocolError.at(value.offset)
        let kind = value.value.kind
        return ControlProtocolError(
            code: .wrongType, offset: value.offset,
            message: BilingualText(
                ja: "\"\(member)\" は\(expected.ja)でなければなりません(\(at.ja)は\(kind.ja))。",
                en: "\"\(member)\" must be \(expected.en), but \(at.en) there is \(kind.en)."))
    }

    /// The offset of the first byte that is not part of valid UTF-8; nil when all are.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
