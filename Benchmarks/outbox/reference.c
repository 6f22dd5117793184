/* Benchmarks/outbox/reference.c: the C reference the outbox benchmark compares against.
 *
 *   reference DBPATH N BYTES    N inserts of a BYTES-byte random blob, each in its own
 *                               transaction (BEGIN IMMEDIATE, INSERT, COMMIT), timed from
 *                               BEGIN to the end of COMMIT; prints "p50_ms p99_ms"
 *
 * The same durability as the outbox (WAL, synchronous=FULL: each COMMIT is fsynced), with
 * none of its work: no JSON check, no encryption, no queue-size or duplicate query.  Built
 * by Benchmarks/run with cc -O2 and pkg-config sqlite3. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define WARMUP 20

static sqlite3 *db;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void check(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        fprintf(stderr, "reference: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(const char *sql) { check(sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: reference DBPATH N BYTES\n"); return 2; }
    int n = atoi(argv[2]), bytes = atoi(argv[3]);
    if (n <= 0 || bytes <= 0) { fprintf(stderr, "reference: N and BYTES must be positive\n"); return 2; }
    check(sqlite3_open(argv[1], &db), "open");
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    exec("CREATE TABLE IF NOT EXISTS submission (id TEXT PRIMARY KEY, createdAt INTEGER, payload BLOB)");
    sqlite3_stmt *begin, *insert, *commit;
    check(sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), "prepare BEGIN");
    check(sqlite3_prepare_v2(db, "INSERT INTO submission (id, createdAt, payload) VALUES (?, ?, ?)", -1, &insert, NULL), "prepare INSERT");
    check(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare COMMIT");
    unsigned char *payload = malloc(bytes);
    double *samples = malloc(sizeof(double) * n);
    if (!payload || !samples) return 1;
    for (int i = -WARMUP; i < n; i++) {
        unsigned char u[16];
        char id[37];
        sqlite3_randomness(sizeof u, u);  /* a fresh id in UUID text form */
        snprintf(id, sizeof id, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
        sqlite3_randomness(bytes, payload);
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        double start = now_ms();
        check(sqlite3_step(begin), "BEGIN");
        sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 2, (sqlite3_int64)wall.tv_sec * 1000 + wall.tv_nsec / 1000000);
        sqlite3_bind_blob(insert, 3, payload, bytes, SQLITE_TRANSIENT);
        check(sqlite3_step(insert), "INSERT");
        check(sqlite3_step(commit), "COMMIT");
        double elapsed = now_ms() - start;
        sqlite3_reset(begin);
        sqlite3_reset(insert);
        sqlite3_reset(commit);
        if (i >= 0) samples[i] = elapsed;
    }
    qsort(samples, n, sizeof(double), by_value);
    /* The same percentile rule as madoguchi-outbox-bench: the sample at index floor(q * n). */
    int p99 = n * 99 / 100;
    printf("%.3f %.3f\n", samples[n / 2], samples[p99 < n ? p99 : n - 1]);
    sqlite3_finalize(begin);
    sqlite3_finalize(insert);
    sqlite3_finalize(commit);
    check(sqlite3_close(db), "close");
    free(payload);
    free(samples);
    return 0;
}
