import Foundation
import Outbox
import Testing

/// The body the outbox keeps: what it accepts, and the bytes it sends with the print result.
@Suite struct SubmissionBodyTests {
    static let id = SubmissionID("7d0f3c2e-5b1a-4c6d-8e9f-0a1b2c3d4e5f")!

    static func problem(_ text: String) -> String? {
        guard case .failure(let error) = SubmissionBody.validate(Data(text.utf8), id: id) else { return nil }
        return error.text.en
    }

    @Test func aWellFormedBodyIsAcceptedAndGetsItsPrintResultAsTheLastMember() throws {
        let body = Data(#"{"id":"7d0f3c2e-5b1a-4c6d-8e9f-0a1b2c3d4e5f","form":{"id":"okuyami","version":3},"a":[1,{}]}"#.utf8)
        let form = try SubmissionBody.validate(body, id: Self.id).get()
        #expect(form.form == "okuyami" && form.version == 3)
        let sent = SubmissionBody.withPrint(body, PrintRecord(outcome: .confirmed, sheets: 2))
        #expect(String(decoding: sent, as: UTF8.self).hasSuffix(#","a":[1,{}],"print":{"outcome":"confirmed","sheets":2}}"#))
    }

    // Foundation's parser accepts these, but RFC 8259 receivers need not: found by fuzzing,
    // where a trailing comma made withPrint produce ",,".
    @Test func textFoundationAcceptsButJSONForbidsIsRefusedWithItsPlace() {
        let head = #"{"id":"7d0f3c2e-5b1a-4c6d-8e9f-0a1b2c3d4e5f","form":{"id":"x","version":1}"#
        #expect(Self.problem(head + ",}")?.contains("trailing comma at byte 74") == true)
        #expect(Self.problem(head + #","list":[1,2,]}"#)?.contains("trailing comma at byte 86") == true)
        #expect(Self.problem(head + #","form":1}"#)?.contains("The key at byte 75") == true)
        #expect(Self.problem(head + #","\u0066orm":1}"#)?.contains("repeats a key") == true)
        #expect(Self.problem("\u{FEFF}" + head + "}")?.contains("byte order mark") == true)
        // Found by fuzzing: JSONDecoder replaced bytes that are not UTF-8, which a receiver refuses.
        var latin1 = Data((head + #","a":"x"#).utf8)
        latin1.append(contentsOf: [0xE8, 0x43, 0x22, 0x7D])
        #expect(SubmissionBody.validate(latin1, id: Self.id).failureText?.contains("not UTF-8 at byte 81") == true)
        var control = Data((head + #","a":"x"#).utf8)
        control.append(contentsOf: [0x00, 0x22, 0x7D])
        #expect(SubmissionBody.validate(control, id: Self.id).failureText?.contains("raw control character in a string at byte 81") == true)
        // Same names in different objects, and commas inside strings, are fine.
        #expect(Self.problem(head + #","a":{"id":"x,}"},"b":{"id":"y"}}"#) == nil)
    }

    @Test func aBodyWithoutItsIdOrFormOrWithAPrintIsRefused() {
        #expect(Self.problem("[]") == "The submission is not a JSON object.")
        #expect(Self.problem("{") == "The submission is not valid JSON.")
        #expect(Self.problem(#"{"id":"00000000-0000-4000-8000-000000000000"}"#)?.contains("id is not") == true)
        #expect(Self.problem(#"{"id":"7d0f3c2e-5b1a-4c6d-8e9f-0a1b2c3d4e5f"}"#) == "The submission has no form id and version.")
        #expect(Self.problem(#"{"id":"7d0f3c2e-5b1a-4c6d-8e9f-0a1b2c3d4e5f","form":{"id":"x","version":1},"print":{}}"#)?.contains("print member") == true)
    }
}

extension Result where Failure == OutboxError {
    var failureText: String? {
        if case .failure(let error) = self { return error.text.en }
        return nil
    }
}
