import Contracts
import Foundation
import Outbox

/// `POST /v1/submissions` (schemas/openapi.yaml), apart from HTTP itself: checks in the
/// order the contract gives, then stores. Problems name headers, JSON pointers and schema
/// keywords, never a value from the body.
struct SubmissionIntake: Sendable {
    struct Reply: Sendable {
        var status: Int
        /// `application/json` for receipts, `application/problem+json` for problems.
        var contentType: String
        var body: String
    }

    let schemas: SchemaSet
    /// Per-kiosk bearer tokens, or nil when kiosks prove who they are by certificate only.
    let tokens: KioskTokens?
    let store: any ReceiverStore
    let maximumBodyBytes: Int

    static let problemBase = "https://madoguchi.example/problems/"

    /// The kiosk a request comes from: its client certificate's, when it showed one (the TLS
    /// handshake already checked it against `--client-ca`), else its bearer token's.
    func kiosk(authorization: String?, certificate: PeerCertificate) -> String? {
        switch certificate {
        case .kiosk(let kiosk): kiosk
        case .noKioskName: nil
        case .none: tokens?.kiosk(authorization: authorization)
        }
    }

    /// The 401 for a request whose credential names no kiosk, saying which part is wrong.
    static func credentialProblem(authorization: String?, certificate: PeerCertificate) -> Reply {
        let detail =
            switch certificate {
            case .noKioskName:
                "The client certificate's subject common name is not a kiosk id (lower-case letters, digits and single hyphens)."
            case .kiosk, .none:
                authorization == nil
                    ? "No Authorization header. Send \"Authorization: Bearer <the kiosk's token>\"."
                    : "The bearer token is not one this receiver knows. Check [backoffice] tokenFile on the kiosk."
            }
        return problem(401, "credential", "Missing or invalid credential", detail: detail)
    }

    /// `GET /v1/whoami`: 200 `{"kiosk": id}` for a credential this receiver accepts, else
    /// the same 401 a submission would get. Reads and stores nothing.
    func whoami(authorization: String?, certificate: PeerCertificate) -> Reply {
        guard let kiosk = kiosk(authorization: authorization, certificate: certificate) else {
            return Self.credentialProblem(authorization: authorization, certificate: certificate)
        }
        // A kiosk id is lower-case letters, digits and hyphens: nothing to escape.
        return Reply(status: 200, contentType: "application/json", body: "{\"kiosk\":\"\(kiosk)\"}\n")
    }

    func receive(authorization: String?, certificate: PeerCertificate = .none, idempotencyKey: String?, body: Data) async -> Reply {
        guard let kiosk = kiosk(authorization: authorization, certificate: certificate) else {
            return Self.credentialProblem(authorization: authorization, certificate: certificate)
        }
        guard let idempotencyKey else {
            return Self.problem(400, "idempotency-key", "Idempotency-Key missing", detail: "Send the submission id in the Idempotency-Key header.")
        }
        guard let key = SubmissionID(idempotencyKey) else {
            return Self.problem(400, "idempotency-key", "Idempotency-Key is not a UUID", detail: "Idempotency-Key must be the submission id, a UUID.")
        }
        guard body.count <= maximumBodyBytes else {
            return Self.problem(413, "too-large", "Body too large", detail: "The body has \(body.count) bytes; this receiver takes at most \(maximumBodyBytes).")
        }
        if let problem = StrictJSON.message(for: body) {
            return Self.problem(400, "json", "Body is not strict JSON", detail: problem.en)
        }
        // One parse: StrictJSON above has already named any syntax error precisely.
        let document: DataNode
        do {
            document = try DataLoader.loadJSON(body, file: "body")
        } catch {
            return Self.problem(400, "json", "Body is not JSON", detail: "The body cannot be read: \(error.reason).")
        }
        guard case .object = document.value else {
            return Self.problem(400, "json", "Body is not a JSON object", detail: "The body must be one JSON object, a submission.")
        }
        guard case .string(let bodyID)? = document["id"]?.value, SubmissionID(bodyID) == key else {
            return Self.problem(
                400, "idempotency-key", "Idempotency-Key does not match the body",
                detail: "Idempotency-Key \(key) does not equal the body's id.")
        }
        let violations = schemas.validate(document, against: "submission.schema.json")
        if !violations.isEmpty {
            let errors = violations.prefix(50).map { ["at": $0.instancePath, "message": $0.message.en] }
            return Self.problem(
                422, "schema", "The submission does not match submission.schema.json",
                detail: "\(violations.count) schema error(s); see errors.", errors: errors)
        }
        guard case .string(kiosk)? = document["kioskId"]?.value else {
            return Self.problem(403, "kiosk", "Credential not allowed for this kioskId", detail: "The body's kioskId is not the kiosk this token belongs to.")
        }
        do {
            switch try await store.store(id: key.description, kioskId: kiosk, body: body, now: Date()) {
            case .created(let receivedAt):
                return Self.receipt(201, id: key, receivedAt: receivedAt)
            case .repeated(let receivedAt):
                return Self.receipt(200, id: key, receivedAt: receivedAt)
            case .conflict:
                return Self.problem(409, "conflict", "Id already received with another body", detail: "The submission \(key) was received before with different bytes.")
            }
        } catch {
            return Self.problem(503, "unavailable", "Cannot store now", detail: "The receiver's database is unavailable; try again later.")
        }
    }

    /// Written by hand: a UUID and an RFC 3339 time need no escaping, and every receipt
    /// would otherwise pay for a JSON serializer.
    static func receipt(_ status: Int, id: SubmissionID, receivedAt: String) -> Reply {
        Reply(status: status, contentType: "application/json", body: "{\"id\":\"\(id)\",\"receivedAt\":\"\(receivedAt)\"}\n")
    }

    static func problem(_ status: Int, _ slug: String, _ title: String, detail: String, errors: [[String: String]]? = nil) -> Reply {
        var object: [String: Any] = ["type": problemBase + slug, "title": title, "status": status, "detail": detail]
        if let errors { object["errors"] = errors }
        return Reply(status: status, contentType: "application/problem+json", body: json(object))
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// What the client's TLS certificate says of who it is.
enum PeerCertificate: Sendable, Equatable {
    /// No certificate (plain HTTP, or TLS without `--client-ca`).
    case none
    /// A certificate whose subject common name is this kiosk id.
    case kiosk(String)
    /// A certificate whose common name is not a kiosk id.
    case noKioskName
}
