/*
 * shmipc_sync.h: the named events and mutexes of dev.shmipc.common (NamedEvent, NamedMutex)
 * for C programs on Linux and macOS. One header, no library: include it and link with -pthread
 * (and -lrt on glibc before 2.34).
 *
 * It implements the protocol that common/README.md ("The POSIX event and mutex protocol")
 * specifies, step for step as the Java side does (PosixEvent.java, PosixMutex.java), so a C
 * program and a JVM can share one event or mutex by name:
 *
 *   control block "/N" (shm_open, 32 bytes, mode 0600)        semaphore "/N" (sem_open, 0600, 0)
 *   0       4       8                16       20              32
 *   +-------+-------+----------------+--------+---------------+
 *   | kind  | state |     holder     |waiters |   (reserved)  |
 *   +-------+-------+----------------+--------+---------------+
 *   kind     SHMIPC_EVENT or SHMIPC_MUTEX, stored last by the creator (release)
 *   state    event: 1 set, 0 not set
 *   holder   mutex: the holder's record (pid << 32 | start stamp), 0 when free: the lock word
 *   waiters  how many callers are in the slow path, asleep on the semaphore or about to be
 *
 * The fast path is user space only: an event set or a mutex lock/unlock with no one waiting is
 * one compare-and-set and one load, no system call. The semaphore is only the place to sleep:
 * it is posted when waiters is not 0, and a woken caller always checks the state again.
 *
 * Not thread-safe per handle: use one shmipc_sync per thread, as with the Java class.
 */
#ifndef SHMIPC_SYNC_H
#define SHMIPC_SYNC_H

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sched_getaffinity */
#endif
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

#define SHMIPC_EVENT 0x45565432 /* 'EVT2' */
#define SHMIPC_LONGEST_MS (1000LL * 60 * 60 * 24 * 365 * 100) /* "forever": a century, no overflow */
#define SHMIPC_MUTEX 0x4D545832 /* 'MTX2' */

enum {
    SHMIPC_KIND_OFFSET = 0,
    SHMIPC_STATE_OFFSET = 4,
    SHMIPC_HOLDER_OFFSET = 8,
    SHMIPC_WAITERS_OFFSET = 16,
    SHMIPC_SIZE = 32,
    SHMIPC_SLICE_MS = 100,      /* a sleep is cut into slices: each ends with a fresh look */
    SHMIPC_SPIN_MIN_NS = 1000,  /* the adaptive spin's limits (see shmipc_spin_limit) */
    SHMIPC_SPIN_MAX_NS = 100000,
    SHMIPC_PROBE_EVERY = 64
};

/* How a lock ended, as NamedMutex.LockResult. */
enum { SHMIPC_ACQUIRED = 0, SHMIPC_ABANDONED = 1, SHMIPC_TIMEOUT = 2 };

typedef struct {
    unsigned char *cb; /* the mapped control block */
    sem_t *sem;
    int64_t self;      /* this process's holder record */
    int64_t spin_ns;   /* how long the next spin may last: learnt from the last spins */
    int missed;        /* spins in a row that ran out */
    int one_cpu;       /* spin by yielding the CPU: the peer runs only if this process gives it up */
} shmipc_sync;

#define SHMIPC_I32(s, off) ((int32_t *)((s)->cb + (off)))
#define SHMIPC_I64(s, off) ((int64_t *)((s)->cb + (off)))

static inline int shmipc_cas32(int32_t *p, int32_t expect, int32_t want) {
    return __atomic_compare_exchange_n(p, &expect, want, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline int shmipc_cas64(int64_t *p, int64_t expect, int64_t want) {
    return __atomic_compare_exchange_n(p, &expect, want, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline void shmipc_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* The CPUs this process may run on: its affinity mask on Linux (taskset), all online elsewhere. */
static inline long shmipc_cpus(void) {
#if defined(__linux__) && defined(CPU_COUNT)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        return CPU_COUNT(&set);
    }
#endif
    return sysconf(_SC_NPROCESSORS_ONLN);
}

/* ---- the holder record: pid << 32 | start stamp (low 32 bits) ---- */

/* The start stamp of pid: Linux /proc/<pid>/stat field 22; macOS p_starttime in ms. 0: unknown.
 * *state gets the process state letter on Linux ('?' elsewhere). -1 if there is no such process. */
static inline int shmipc_start_stamp(long pid, int64_t *stamp, char *state) {
    *stamp = 0;
    *state = '?';
#if defined(__linux__)
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return errno == ENOENT ? -1 : 0;
    }
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = 0;
    char *p = strrchr(line, ')'); /* the command name may hold spaces and parentheses */
    if (p == NULL || p[1] == 0 || p[2] == 0) {
        return 0;
    }
    *state = p[2];
    /* p + 2 is field 3; field 22 is 19 fields further */
    p += 2;
    for (int field = 3; field < 22 && p != NULL; field++) {
        p = strchr(p, ' ');
        if (p != NULL) {
            p++;
        }
    }
    if (p != NULL) {
        *stamp = (int64_t)strtoull(p, NULL, 10);
    }
    return 0;
#elif defined(__APPLE__)
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid};
    struct kinfo_proc info;
    size_t size = sizeof info;
    if (sysctl(mib, 4, &info, &size, NULL, 0) != 0) {
        return 0;
    }
    if (size == 0) {
        return -1;
    }
    *stamp = (int64_t)info.kp_proc.p_starttime.tv_sec * 1000 + info.kp_proc.p_starttime.tv_usec / 1000;
    return 0;
#else
    (void)pid;
    return 0;
#endif
}

static inline int64_t shmipc_holder_of(long pid) {
    int64_t stamp;
    char state;
    shmipc_start_stamp(pid, &stamp, &state);
    return (int64_t)pid << 32 | (stamp & 0xFFFFFFFF);
}

/* 1 if the process a holder record names still runs (a zombie does not, on Linux). */
static inline int shmipc_holder_alive(int64_t holder) {
    long pid = (long)(holder >> 32);
    int64_t recorded = holder & 0xFFFFFFFF, stamp;
    char state;
    if (shmipc_start_stamp(pid, &stamp, &state) != 0) {
        return 0;
    }
#if defined(__APPLE__)
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
        return 0;
    }
#endif
    if (state == 'Z' || state == 'X') {
        return 0;
    }
    return recorded == 0 || stamp == 0 || (stamp & 0xFFFFFFFF) == recorded;
}

/* ---- create, open, close, unlink ---- */

static inline int shmipc_unlink(const char *name) {
    int a = sem_unlink(name), b = shm_unlink(name);
    return a == 0 || b == 0 ? 0 : -1;
}

static inline void shmipc_close(shmipc_sync *s) {
    if (s->sem != NULL && s->sem != SEM_FAILED) {
        sem_close(s->sem);
    }
    if (s->cb != NULL) {
        munmap(s->cb, SHMIPC_SIZE);
    }
    s->sem = NULL;
    s->cb = NULL;
}

static inline void shmipc_init(shmipc_sync *s) {
    s->cb = NULL;
    s->sem = NULL;
    s->self = shmipc_holder_of((long)getpid());
    s->spin_ns = SHMIPC_SPIN_MAX_NS;
    s->missed = 0;
    s->one_cpu = shmipc_cpus() < 2;
}

/* Creates "/N" (name with its leading slash) as kind; initially: event set, or mutex owned by
 * this process. 0, or -1 with errno (EEXIST: the name is taken); nothing is left on failure. */
static inline int shmipc_create(shmipc_sync *s, const char *name, int32_t kind, int initially) {
    shmipc_init(s);
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) {
        return -1;
    }
    if (ftruncate(fd, SHMIPC_SIZE) != 0) {
        goto fail_fd;
    }
#if defined(__linux__)
    /* Reserve the pages now: a full /dev/shm is then this error, not a SIGBUS at the first store. */
    int reserved = posix_fallocate(fd, 0, SHMIPC_SIZE);
    if (reserved != 0) {
        errno = reserved;
        goto fail_fd;
    }
#endif
    s->cb = mmap(NULL, SHMIPC_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (s->cb == MAP_FAILED) {
        s->cb = NULL;
        goto fail_fd;
    }
    close(fd);
    if (kind == SHMIPC_EVENT) {
        __atomic_store_n(SHMIPC_I32(s, SHMIPC_STATE_OFFSET), initially ? 1 : 0, __ATOMIC_RELEASE);
    } else {
        __atomic_store_n(SHMIPC_I64(s, SHMIPC_HOLDER_OFFSET), initially ? s->self : 0, __ATOMIC_RELEASE);
    }
    __atomic_store_n(SHMIPC_I32(s, SHMIPC_KIND_OFFSET), kind, __ATOMIC_RELEASE);
    s->sem = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (s->sem == SEM_FAILED) {
        int saved = errno;
        shmipc_close(s);
        shm_unlink(name);
        errno = saved;
        return -1;
    }
    return 0;
fail_fd: {
        int saved = errno;
        close(fd);
        shm_unlink(name);
        errno = saved;
        return -1;
    }
}

/* Opens "/N" as kind. 0, or -1 with errno: ENOENT (none, or still being made), EPROTO (too
 * small, or not of this kind). */
static inline int shmipc_open(shmipc_sync *s, const char *name, int32_t kind) {
    shmipc_init(s);
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0) {
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < SHMIPC_SIZE) {
        close(fd);
        errno = EPROTO;
        return -1;
    }
    s->cb = mmap(NULL, SHMIPC_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (s->cb == MAP_FAILED) {
        s->cb = NULL;
        return -1;
    }
    int32_t found = __atomic_load_n(SHMIPC_I32(s, SHMIPC_KIND_OFFSET), __ATOMIC_ACQUIRE);
    if (found != kind) {
        shmipc_close(s);
        errno = found == 0 ? ENOENT : EPROTO;
        return -1;
    }
    s->sem = sem_open(name, 0);
    if (s->sem == SEM_FAILED) {
        int saved = errno;
        s->sem = NULL;
        shmipc_close(s);
        errno = saved;
        return -1;
    }
    return 0;
}

/* ---- waiting ---- */

static inline int64_t shmipc_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Sleeps on the semaphore for at most ms (at most one slice): 1 if it was taken, 0 if not. */
static inline int shmipc_sleep(shmipc_sync *s, int64_t ms) {
    if (ms > SHMIPC_SLICE_MS) {
        ms = SHMIPC_SLICE_MS;
    }
#if defined(__APPLE__)
    /* macOS has no sem_timedwait: poll, backing off from 20 us to 1 ms. */
    int64_t end = shmipc_now_ms() + ms;
    for (useconds_t pause = 20;; pause = pause < 1000 ? pause * 2 : 1000) {
        if (sem_trywait(s->sem) == 0) {
            return 1;
        }
        if (shmipc_now_ms() >= end) {
            return 0;
        }
        usleep(pause);
    }
#else
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (sem_timedwait(s->sem, &until) != 0) {
        if (errno != EINTR) {
            return 0;
        }
    }
    return 1;
#endif
}

static inline int64_t shmipc_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The adaptive spin, learnt per handle as the Java side's Spin does: a spin that took in the
 * second half of its time doubles the limit (at most SHMIPC_SPIN_MAX_NS), one that ran out halves
 * it (at least SHMIPC_SPIN_MIN_NS), and after SHMIPC_PROBE_EVERY misses in a row one spin probes
 * with the longest time. With one CPU (asked again after each miss: the affinity may change), a
 * spin yields the CPU each try (sched_yield) instead of pausing: the peer cannot run while this
 * process spins, but a yield hands it the CPU. */
static inline int64_t shmipc_spin_limit(const shmipc_sync *s) {
    return s->missed > 0 && s->missed % SHMIPC_PROBE_EVERY == 0 ? SHMIPC_SPIN_MAX_NS : s->spin_ns;
}

static inline void shmipc_spin_took(shmipc_sync *s, int64_t took_ns, int64_t allowed_ns) {
    s->missed = 0;
    if (took_ns > allowed_ns / 2) {
        int64_t base = s->spin_ns > allowed_ns ? s->spin_ns : allowed_ns;
        s->spin_ns = base * 2 > SHMIPC_SPIN_MAX_NS ? SHMIPC_SPIN_MAX_NS : base * 2;
    }
}

static inline void shmipc_spin_missed(shmipc_sync *s) {
    s->missed++;
    s->spin_ns = s->spin_ns / 2 < SHMIPC_SPIN_MIN_NS ? SHMIPC_SPIN_MIN_NS : s->spin_ns / 2;
    s->one_cpu = shmipc_cpus() < 2;
}

/* Spins until take(s) succeeds (1) or end_ns passes (0): a pause each try and the clock every
 * 64 tries, or with one CPU a yield and the clock each try. */
static inline int shmipc_spin(shmipc_sync *s, int (*take)(shmipc_sync *), int64_t end_ns) {
    for (int i = 1;; i++) {
        if (s->one_cpu) {
            sched_yield();
        } else {
            shmipc_pause();
        }
        if (take(s)) {
            return 1;
        }
        if ((s->one_cpu || (i & 63) == 0) && shmipc_now_ns() >= end_ns) {
            return 0;
        }
    }
}

/* ---- event ---- */

/* Sets the event: one wait, now or the next to come, returns 1. Setting it again does nothing. */
static inline void shmipc_event_set(shmipc_sync *s) {
    if (shmipc_cas32(SHMIPC_I32(s, SHMIPC_STATE_OFFSET), 0, 1)
            && __atomic_load_n(SHMIPC_I32(s, SHMIPC_WAITERS_OFFSET), __ATOMIC_SEQ_CST) > 0) {
        sem_post(s->sem);
    }
}

static inline int shmipc_event_take(shmipc_sync *s) {
    int32_t *state = SHMIPC_I32(s, SHMIPC_STATE_OFFSET);
    return __atomic_load_n(state, __ATOMIC_ACQUIRE) == 1 && shmipc_cas32(state, 1, 0);
}

/* Waits until the event is set and resets it: 1; or until timeout_ms pass: 0. */
static inline int shmipc_event_await(shmipc_sync *s, int64_t timeout_ms) {
    if (shmipc_event_take(s)) {
        return 1;
    }
    if (timeout_ms <= 0) { /* only look, not counted in: a set meanwhile need not post */
        return shmipc_cas32(SHMIPC_I32(s, SHMIPC_STATE_OFFSET), 1, 0);
    }
    if (timeout_ms > SHMIPC_LONGEST_MS) {
        timeout_ms = SHMIPC_LONGEST_MS;
    }
    int64_t limit = shmipc_spin_limit(s), start = shmipc_now_ns();
    if (shmipc_spin(s, shmipc_event_take, start + limit)) {
        shmipc_spin_took(s, shmipc_now_ns() - start, limit);
        return 1;
    }
    shmipc_spin_missed(s);
    /* Slow path: count this waiter in, then look again before every sleep. A setter that
     * changed the state before the count went up is seen by that look; one after it sees the
     * count and posts (both sides use sequentially consistent operations). */
    int32_t *waiters = SHMIPC_I32(s, SHMIPC_WAITERS_OFFSET);
    int64_t end = shmipc_now_ms() + timeout_ms;
    int set = 0;
    __atomic_fetch_add(waiters, 1, __ATOMIC_SEQ_CST);
    for (;;) {
        if (shmipc_cas32(SHMIPC_I32(s, SHMIPC_STATE_OFFSET), 1, 0)) { /* the latest state, not a load's */
            set = 1;
            break;
        }
        int64_t left = end - shmipc_now_ms();
        if (left <= 0) {
            break;
        }
        shmipc_sleep(s, left); /* a post, a surplus post or the end of a slice: look again */
    }
    __atomic_fetch_sub(waiters, 1, __ATOMIC_SEQ_CST);
    return set;
}

/* ---- mutex ---- */

static inline int shmipc_mutex_take(shmipc_sync *s) {
    int64_t *holder = SHMIPC_I64(s, SHMIPC_HOLDER_OFFSET);
    return __atomic_load_n(holder, __ATOMIC_ACQUIRE) == 0 && shmipc_cas64(holder, 0, s->self);
}

/* Locks the mutex: SHMIPC_ACQUIRED, SHMIPC_ABANDONED (its holder died holding it: the data it
 * guards may be half-written) or SHMIPC_TIMEOUT after timeout_ms. */
static inline int shmipc_mutex_lock(shmipc_sync *s, int64_t timeout_ms) {
    if (shmipc_mutex_take(s)) {
        return SHMIPC_ACQUIRED;
    }
    if (timeout_ms > SHMIPC_LONGEST_MS) {
        timeout_ms = SHMIPC_LONGEST_MS;
    }
    if (timeout_ms > 0) {
        int64_t limit = shmipc_spin_limit(s), start = shmipc_now_ns();
        if (shmipc_spin(s, shmipc_mutex_take, start + limit)) {
            shmipc_spin_took(s, shmipc_now_ns() - start, limit);
            return SHMIPC_ACQUIRED;
        }
        shmipc_spin_missed(s);
    }
    int64_t *holder = SHMIPC_I64(s, SHMIPC_HOLDER_OFFSET);
    int32_t *waiters = SHMIPC_I32(s, SHMIPC_WAITERS_OFFSET);
    int64_t end = shmipc_now_ms() + timeout_ms;
    int result = SHMIPC_TIMEOUT;
    __atomic_fetch_add(waiters, 1, __ATOMIC_SEQ_CST);
    for (;;) {
        if (shmipc_cas64(holder, 0, s->self)) { /* the latest holder, not a load's */
            result = SHMIPC_ACQUIRED;
            break;
        }
        int64_t h = __atomic_load_n(holder, __ATOMIC_ACQUIRE);
        if (h != 0 && !shmipc_holder_alive(h) && shmipc_cas64(holder, h, s->self)) {
            result = SHMIPC_ABANDONED; /* of several waiters, exactly one wins this */
            break;
        }
        int64_t left = end - shmipc_now_ms();
        if (left <= 0) {
            break;
        }
        shmipc_sleep(s, left);
    }
    __atomic_fetch_sub(waiters, 1, __ATOMIC_SEQ_CST);
    return result;
}

/* Unlocks: 0; or -1 if this process does not hold it (someone took it over as abandoned). */
static inline int shmipc_mutex_unlock(shmipc_sync *s) {
    if (!shmipc_cas64(SHMIPC_I64(s, SHMIPC_HOLDER_OFFSET), s->self, 0)) {
        return -1;
    }
    if (__atomic_load_n(SHMIPC_I32(s, SHMIPC_WAITERS_OFFSET), __ATOMIC_SEQ_CST) > 0) {
        sem_post(s->sem);
    }
    return 0;
}

#endif /* SHMIPC_SYNC_H */
