import Foundation
import Outbox
public import MadoguchiConfig
public import MadoguchiCore

extension SyncSettings {
    /// The worker's settings from `[backoffice]`, with its secrets found: the bearer token
    /// read from `tokenCredential` ($CREDENTIALS_DIRECTORY) or `tokenFile`, the client key
    /// from `clientKeyCredential` or `clientKeyFile`. Nil when no `url` is set (nothing is
    /// sent). A secret file that others may read is refused. Messages name files, never
    /// what is in them.
    public static func from(
        _ backoffice: BackofficeSettings, environment: [String: String]
    ) throws(SyncConfigurationError) -> SyncSettings? {
        guard let url = backoffice.url else { return nil }
        let credential: Credential
        switch backoffice.auth {
        case .bearer:
            let path = try secretPath(
                credential: backoffice.tokenCredential, file: backoffice.tokenFile, key: "tokenFile", environment: environment)
            credential = .bearer(try token(at: path))
        case .mtls:
            guard let certificate = backoffice.clientCertificate else {
                throw SyncConfigurationError(BilingualText(
                    ja: "[backoffice] clientCertificate がありません。", en: "[backoffice] clientCertificate is missing."))
            }
            try requireReadable(certificate, key: "clientCertificate")
            let key = try secretPath(
                credential: backoffice.clientKeyCredential, file: backoffice.clientKeyFile, key: "clientKeyFile", environment: environment)
            credential = .clientCertificate(certificateFile: certificate, keyFile: key)
        }
        if let caFile = backoffice.caFile { try requireReadable(caFile, key: "caFile") }
        return SyncSettings(
            baseURL: url, credential: credential, caFile: backoffice.caFile,
            backoff: Backoff(initialSeconds: Double(backoffice.retryInitialSeconds), maximumSeconds: Double(backoffice.retryMaxSeconds)))
    }

    /// The credential's path when it is named and systemd passed credentials, else the
    /// file, which must be private (no group or other permissions).
    static func secretPath(
        credential: String?, file: String?, key: String, environment: [String: String]
    ) throws(SyncConfigurationError) -> String {
        if let credential, let path = BackofficeSettings.credentialPath(credential, environment: environment),
            FileManager.default.fileExists(atPath: path)
        {
            return path
        }
        guard let file else {
            throw SyncConfigurationError(BilingualText(
                ja: "資格情報 \(credential ?? "") が $CREDENTIALS_DIRECTORY にありません。systemd の LoadCredential= を確認するか、[backoffice] \(key) を設定してください。",
                en: "The credential \(credential ?? "") is not in $CREDENTIALS_DIRECTORY. Check systemd's LoadCredential=, or set [backoffice] \(key)."))
        }
        try requireReadable(file, key: key)
        var status = stat()
        if stat(file, &status) == 0, status.st_mode & 0o077 != 0 {
            throw SyncConfigurationError(BilingualText(
                ja: "\(file): 他の利用者も読める秘密ファイルは使いません。chmod 600 \(file) を実行してください。",
                en: "\(file): a secret file that others can read is refused. Run chmod 600 \(file)."))
        }
        return file
    }

    static func requireReadable(_ path: String, key: String) throws(SyncConfigurationError) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SyncConfigurationError(BilingualText(
                ja: "\(path): [backoffice] \(key) のファイルがないか、読めません。",
                en: "\(path): the file of [backoffice] \(key) is missing or cannot be read."))
        }
    }

    /// The first line of the token file: printable ASCII, 16 to 512 characters.
    static func token(at path: String) throws(SyncConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096 else {
            throw SyncConfigurationError(BilingualText(ja: "\(path): トークンを読めません。", en: "\(path): the token cannot be read."))
        }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let token = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
        guard (16...512).contains(token.utf8.count), token.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw SyncConfigurationError(BilingualText(
                ja: "\(path): 1 行目がトークンの形ではありません(空白のない 16〜512 文字の ASCII)。`madoguchi-backoffice token add` が出したものを書いてください。",
                en: "\(path): the first line is not a token (16 to 512 printable ASCII characters, no spaces). Write the one `madoguchi-backoffice token add` printed."))
        }
        return token
    }
}

/// Why `[backoffice]` cannot be used: a file missing, unreadable or not private, or a token
/// of the wrong form. Names files, never their content.
public struct SyncConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: BilingualText

    public init(_ message: BilingualText) { self.message = message }

    public var description: String { "\(message.ja) / \(message.en)" }
}
