/*
 * reference.c: the C programs the benchmark compares module 04's Java handshake with.
 *
 * Two processes (this one and a fork) stream 592-byte records (module 04's WIN32_FIND_DATAW
 * size), one in flight: the server writes a record, the client reads it and acknowledges it,
 * then the server writes the next. The client counts records per second.
 *
 *   reference --mode MODE [--millis M] [--cpu N]
 *
 *   sem-block  04's handshake (article 004, part 2) on POSIX named semaphores: the server waits
 *              "read finished", locks the mutex, writes, unlocks, posts "new data"; the client
 *              waits "new data", locks, reads, unlocks, posts "read finished". Blocking
 *              sem_timedwait, as the Java side's slow path.
 *   sem-spin   the same, each wait spinning on sem_trywait for up to 50 us before it blocks.
 *   shmipc     the same handshake on this project's events and mutex, through
 *              common/src/main/c/shmipc_sync.h: what the Java side does, in C.
 *   uds        the same lockstep over a Unix domain socket pair: a record one way, one byte back.
 *
 * --millis: how long to measure, after a warm-up of 200 ms and at least 1,000 records (there is
 * no JIT to wait for: the warm-up faults the pages in and lets the CPUs leave their idle states).
 * --cpu N: pin both processes to CPU N (Linux), to measure them sharing one CPU.
 *
 * Prints one line: "records/s <figure>". Exits 2 on bad arguments, 1 if a call fails. Every
 * wait gives up after 10 s, so neither process outlives the other for long. Every named object
 * is unlinked as soon as both processes have it, so nothing outlives a crash.
 */
#define _GNU_SOURCE
#include "shmipc_sync.h"

#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

enum { RECORD_SIZE = 592, WARM_UP_RECORDS = 1000, WARM_UP_MS = 200, SPIN_NS = 50000, TIMEOUT_MS = 10000 };

typedef struct {
    unsigned char record[RECORD_SIZE];
    volatile int stop; /* the client's word to the server: no more records */
} shared_page;

static const char *mode;
static shared_page *page;
static sem_t *new_data, *read_finish, *lock;  /* sem-block, sem-spin */
static shmipc_sync ev_new, ev_read, mutex;    /* shmipc */
static int sock[2];                            /* uds */

static void die(const char *what) {
    fprintf(stderr, "[reference] error: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sem_wait_mode(sem_t *s) {
    if (strcmp(mode, "sem-spin") == 0) {
        int64_t end = now_ns() + SPIN_NS;
        do {
            for (int i = 0; i < 64; i++) {
                if (sem_trywait(s) == 0) {
                    return;
                }
                shmipc_pause();
            }
        } while (now_ns() < end);
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += TIMEOUT_MS / 1000;
    while (sem_timedwait(s, &deadline) != 0) {
        if (errno != EINTR) {
            die("sem_timedwait"); /* ETIMEDOUT: the peer is gone */
        }
    }
}

static void await_event(shmipc_sync *e) {
    if (!shmipc_event_await(e, TIMEOUT_MS)) {
        errno = ETIMEDOUT;
        die("shmipc_event_await");
    }
}

static void lock_mutex(void) {
    if (shmipc_mutex_lock(&mutex, TIMEOUT_MS) == SHMIPC_TIMEOUT) {
        errno = ETIMEDOUT;
        die("shmipc_mutex_lock");
    }
}

static void full_io(ssize_t (*io)(int, void *, size_t), int fd, void *buffer, size_t size) {
    for (size_t done = 0; done < size;) {
        ssize_t n = io(fd, (unsigned char *)buffer + done, size - done);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            die("socket");
        }
        done += (size_t)n;
    }
}

static ssize_t write_some(int fd, void *buffer, size_t size) {
    return write(fd, buffer, size);
}

static ssize_t read_some(int fd, void *buffer, size_t size) {
    return read(fd, buffer, size);
}

/* The server's side of one record; 0 once the client has said stop. */
static int serve_one(unsigned char *source, uint32_t sequence) {
    memcpy(source + 36, &sequence, 4); /* dwReserved0, as in module 04 */
    if (strcmp(mode, "uds") == 0) {
        unsigned char ack;
        full_io(write_some, sock[1], source, RECORD_SIZE);
        full_io(read_some, sock[1], &ack, 1);
        return ack == 0;
    }
    if (strcmp(mode, "shmipc") == 0) {
        await_event(&ev_read);
        if (page->stop) {
            return 0;
        }
        lock_mutex();
        memcpy(page->record, source, RECORD_SIZE);
        shmipc_mutex_unlock(&mutex);
        shmipc_event_set(&ev_new);
        return 1;
    }
    sem_wait_mode(read_finish);
    if (page->stop) {
        return 0;
    }
    sem_wait_mode(lock);
    memcpy(page->record, source, RECORD_SIZE);
    sem_post(lock);
    sem_post(new_data);
    return 1;
}

/* The client's side of one record; stop says it is the last. */
static uint32_t read_one(unsigned char *target, int stop) {
    uint32_t sequence;
    if (strcmp(mode, "uds") == 0) {
        unsigned char ack = (unsigned char)stop;
        full_io(read_some, sock[0], target, RECORD_SIZE);
        full_io(write_some, sock[0], &ack, 1);
    } else if (strcmp(mode, "shmipc") == 0) {
        await_event(&ev_new);
        lock_mutex();
        memcpy(target, page->record, RECORD_SIZE);
        shmipc_mutex_unlock(&mutex);
        page->stop = stop;
        shmipc_event_set(&ev_read);
    } else {
        sem_wait_mode(new_data);
        sem_wait_mode(lock);
        memcpy(target, page->record, RECORD_SIZE);
        sem_post(lock);
        page->stop = stop;
        sem_post(read_finish);
    }
    memcpy(&sequence, target + 36, 4);
    return sequence;
}

static sem_t *make_semaphore(const char *name, unsigned value) {
    sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, value);
    if (s == SEM_FAILED) {
        die(name);
    }
    sem_unlink(name); /* the fork inherits it; the name is not needed any more */
    return s;
}

static void make_sync(shmipc_sync *s, const char *name, int32_t kind, int initially) {
    if (shmipc_create(s, name, kind, initially) != 0) {
        die(name);
    }
    shmipc_unlink(name);
}

static void usage(const char *message) {
    fprintf(stderr, "[reference] error: %s (usage: reference --mode sem-block|sem-spin|shmipc|uds"
                    " [--millis M] [--cpu N])\n", message);
    exit(2);
}

int main(int argc, char **argv) {
    long millis = 500, cpu = -1;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--mode") == 0) {
            mode = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--millis") == 0) {
            millis = strtol(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(argv[i], "--cpu") == 0) {
            cpu = strtol(argv[++i], NULL, 10);
        } else {
            usage("unknown argument");
        }
    }
    if (mode == NULL || (strcmp(mode, "sem-block") && strcmp(mode, "sem-spin") && strcmp(mode, "shmipc")
            && strcmp(mode, "uds"))) {
        usage("--mode is required");
    }
    if (millis < 1 || millis > 60000) {
        usage("--millis must be between 1 and 60000");
    }
    if (cpu >= 0) {
#if defined(__linux__)
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET((int)cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            die("sched_setaffinity");
        }
#else
        usage("--cpu works on Linux only");
#endif
    }
    page = mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        die("mmap");
    }
    char name[64];
    long pid = (long)getpid();
    if (strcmp(mode, "uds") == 0) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sock) != 0) {
            die("socketpair");
        }
        struct timeval limit = {TIMEOUT_MS / 1000, 0};
        for (int i = 0; i < 2; i++) {
            if (setsockopt(sock[i], SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0) {
                die("setsockopt");
            }
        }
    } else if (strcmp(mode, "shmipc") == 0) {
        snprintf(name, sizeof name, "/ref-%ld.new", pid);
        make_sync(&ev_new, name, SHMIPC_EVENT, 0);
        snprintf(name, sizeof name, "/ref-%ld.read", pid);
        make_sync(&ev_read, name, SHMIPC_EVENT, 1);
        snprintf(name, sizeof name, "/ref-%ld.lock", pid);
        make_sync(&mutex, name, SHMIPC_MUTEX, 0);
    } else {
        snprintf(name, sizeof name, "/ref-%ld.new", pid);
        new_data = make_semaphore(name, 0);
        snprintf(name, sizeof name, "/ref-%ld.read", pid);
        read_finish = make_semaphore(name, 1);
        snprintf(name, sizeof name, "/ref-%ld.lock", pid);
        lock = make_semaphore(name, 1);
    }
    pid_t server = fork();
    if (server < 0) {
        die("fork");
    }
    unsigned char record[RECORD_SIZE];
    memset(record, 'r', sizeof record);
    if (server == 0) {
        /* The handles are this process's own copies now: its holder record is its own pid. */
        mutex.self = shmipc_holder_of((long)getpid());
        for (uint32_t sequence = 1; serve_one(record, sequence); sequence++) {
        }
        _exit(0);
    }
    uint32_t expected = 1;
    int64_t start = now_ns(), warm_end = start + (int64_t)WARM_UP_MS * 1000000;
    long records = 0;
    while (records < WARM_UP_RECORDS || now_ns() < warm_end) {
        if (read_one(record, 0) != expected++) {
            errno = EPROTO;
            die("records out of order");
        }
        records++;
    }
    records = 0;
    start = now_ns();
    int64_t end = start + millis * 1000000;
    int64_t last;
    do {
        if (read_one(record, 0) != expected++) {
            errno = EPROTO;
            die("records out of order");
        }
        records++;
        last = now_ns();
    } while (last < end);
    read_one(record, 1); /* one more, which tells the server to stop */
    int status;
    if (waitpid(server, &status, 0) != server || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "[reference] error: the server process failed\n");
        return 1;
    }
    printf("records/s %.0f\n", records * 1e9 / (double)(last - start));
    return 0;
}
