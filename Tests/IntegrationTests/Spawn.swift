import Foundation

/// Starts programs from tests with posix_spawn and an empty signal mask, and reaps them
/// with waitpid. The test threads (Swift concurrency and dispatch workers) block signals and
/// a child inherits that mask: daemons would ignore SIGTERM, the virtual card its
/// SIGUSR1/SIGUSR2, and a tmux client never hear its server. Foundation's `Process` was
/// also seen never to report the exit of a script that leaves daemons running behind it.
enum Spawn {
    /// Runs `path` with `arguments` to its end; standard input is /dev/null, standard output
    /// goes to `output` (a file path), standard error stays the test's unless `quiet`.
    /// Returns the wait status.
    static func run(_ path: String, _ arguments: [String], environment: [String]? = nil, output: String = "/dev/null", quiet: Bool = false) -> Int32? {
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer { variables?.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // Every signal back to its default action too: a disposition the test process set
        // (SIG_IGN, once an HTTP client started) would otherwise pass to the child, and a tmux
        // server started so never reaped its pane's program.
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let started = variables.map { posix_spawn(&pid, path, &actions, &attributes, argv, $0) } ?? posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard started == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}
