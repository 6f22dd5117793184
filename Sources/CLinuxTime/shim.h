// CLinuxTime — the kernel clock's discipline state (adjtimex(2)), for DaemonSupport only.
//
// Swift's Glibc module does not include <sys/timex.h>, and struct timex has anonymous
// bit-fields: this wrapper reads the state without changing anything and hands back the
// two numbers diagnostics need.
#ifndef MADOGUCHI_CLINUXTIME_SHIM_H
#define MADOGUCHI_CLINUXTIME_SHIM_H

#include <string.h>
#include <sys/timex.h>

/// adjtimex with modes 0 (read only): returns the clock state (TIME_OK … TIME_ERROR, or
/// -1 with errno) and stores the status bits in *status.
static inline int madoguchi_time_read_state(int *status) {
    struct timex state;
    memset(&state, 0, sizeof state);
    int result = adjtimex(&state);
    *status = state.status;
    return result;
}

/// STA_UNSYNC: the clock is not synchronised (no NTP discipline).
static inline int madoguchi_time_status_unsynchronized(void) { return STA_UNSYNC; }
/// TIME_ERROR: the clock state is not synchronised.
static inline int madoguchi_time_state_error(void) { return TIME_ERROR; }

#endif
