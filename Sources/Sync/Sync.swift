/// Delivery of submissions to the back office (async-http-client), built by the sync issue.
public enum Sync {
    /// The receiver's path for new submissions (`openapi.yaml`).
    public static let submissionsPath = "/v1/submissions"
}
