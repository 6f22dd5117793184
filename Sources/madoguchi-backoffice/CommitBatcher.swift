import Synchronization

/// Group commit for the receiver's stores: submissions that arrive while a commit is under
/// way wait, and the next commit takes them all, so one fsync (SQLite) or one WAL flush and
/// one round trip (PostgreSQL) answers many requests instead of one. A request is answered
/// only after the commit that holds it returns, so a 201 still means "on disk".
///
/// At most `maximumCommits` commits run at once, each of at most `maximumBatch` items. Both
/// stores use 1: SQLite has one writer, and on PostgreSQL fewer, larger statements ingested
/// faster than several at once.
final class CommitBatcher<Item: Sendable, Outcome: Sendable>: Sendable {
    /// Commits `items` and returns one result per item, in the same order.
    typealias Commit = @Sendable ([Item]) async -> [Result<Outcome, any Error>]

    private struct Waiter {
        let item: Item
        let continuation: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var committing = 0
    }

    private let state = Mutex(State())
    private let maximumBatch: Int
    private let maximumCommits: Int
    private let commit: Commit

    init(maximumBatch: Int, maximumCommits: Int, commit: @escaping Commit) {
        self.maximumBatch = max(1, maximumBatch)
        self.maximumCommits = max(1, maximumCommits)
        self.commit = commit
    }

    /// Waits for the commit that holds `item`, and returns its outcome.
    func submit(_ item: Item) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let startsCommitter = state.withLock { state -> Bool in
                state.waiting.append(Waiter(item: item, continuation: continuation))
                guard state.committing < maximumCommits else { return false }
                state.committing += 1
                return true
            }
            if startsCommitter {
                Task { await self.commitUntilNoneWait() }
            }
        }
    }

    /// One committer: takes what waits, commits it, answers, and again until nothing waits.
    private func commitUntilNoneWait() async {
        while true {
            let batch = state.withLock { state -> [Waiter] in
                let batch = Array(state.waiting.prefix(maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.committing -= 1 }
                return batch
            }
            guard !batch.isEmpty else { return }
            let results = await commit(batch.map(\.item))
            for (index, waiter) in batch.enumerated() {
                waiter.continuation.resume(with: index < results.count ? results[index] : .failure(CommitBatchError.noResult))
            }
        }
    }
}

/// A commit returned fewer results than it was given items (a bug in the store; the
/// request gets a 503 and the kiosk tries again).
enum CommitBatchError: Error {
    case noResult
}
