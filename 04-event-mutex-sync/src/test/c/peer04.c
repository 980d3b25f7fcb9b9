/*
 * peer04.c: a C client and a C server for module 04 (article 004, part 2) on Linux and macOS.
 * They speak the Java programs' protocol through common/src/main/c/shmipc_sync.h, so either one
 * can stand in for its Java counterpart, as the article's C++ programs can on Windows.
 *
 *   peer04 client [--names BASE] [--quiet]
 *   peer04 server DIRECTORY [--names BASE] [--repeat N]
 *
 * client  Creates what the Java Client creates, in its order and initial states: the 608-byte
 *         mapping (the record, then a random run token, then the mark "shmipc04"), ServerNewData
 *         (not set), ClientReadFinish (set), LockMutex (owned). Sets ClientReadFinish, releases
 *         the mutex, says "[client] waiting for a server ..." and prints "[client] File found :
 *         NAME" per record until the empty one, then the Java Client's closing lines. It starts
 *         no server: start the Java Server or "peer04 server" after that line. Everything it made
 *         is removed on every way out short of SIGKILL: success, failure, SIGINT, SIGTERM, SIGHUP.
 * server  Does what the Java Server does: opens the two events, the mutex and the mapping, walks
 *         DIRECTORY (every entry but directories; links are sent, not followed) sending one
 *         WIN32_FIND_DATAW per entry, numbered 1, 2, 3 ... in dwReserved0, then the empty record,
 *         and waits for the last read. It removes nothing.
 *
 * The waits are the Java programs' (module 04's Contract): the server waits 5000 ms for each read
 * and for the mutex, as the article does; the client waits 5000 ms for the mutex and up to 30 s
 * for each record (it knows no server process to watch, so it cannot tell a slow start from none).
 *
 * Build, from the repository root (as CPeerIT does):
 *   gcc -O2 -Wall -Wextra -Werror -pthread -I common/src/main/c \
 *       -o 04-event-mutex-sync/target/peer04 04-event-mutex-sync/src/test/c/peer04.c
 *
 * Exit codes: 0 done, 1 a failure at run time (one line on standard error), 2 bad arguments,
 * 128 + the signal's number for a client stopped by a signal.
 */
#include "shmipc_sync.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>

/* The mapping (module 04's Contract) and its record, WIN32_FIND_DATAW, little-endian (FindData). */
enum {
    ATTRIBUTES_OFFSET = 0,
    CREATION_TIME_OFFSET = 4,
    LAST_ACCESS_TIME_OFFSET = 12,
    LAST_WRITE_TIME_OFFSET = 20,
    SIZE_HIGH_OFFSET = 28,
    SIZE_LOW_OFFSET = 32,
    SEQUENCE_OFFSET = 36,         /* dwReserved0: 1, 2, 3 ... (0 in the end record) */
    FLAGS_OFFSET = 40,            /* dwReserved1: FLAG_NAME_SHORTENED */
    FILE_NAME_OFFSET = 44,        /* cFileName[260], UTF-16LE, NUL-terminated */
    FILE_NAME_UNITS = 260,
    RECORD_SIZE = 592,            /* sizeof(WIN32_FIND_DATAW); cAlternateFileName stays empty */
    RUN_TOKEN_OFFSET = RECORD_SIZE,
    MARK_OFFSET = RUN_TOKEN_OFFSET + 8,
    MAPPING_SIZE = MARK_OFFSET + 8,
    FLAG_NAME_SHORTENED = 1
};
#define MARK 0x73686D6970633034LL /* "shmipc04" read as a big-endian long, stored in native order */

enum { FILE_ATTRIBUTE_READONLY = 0x01, FILE_ATTRIBUTE_HIDDEN = 0x02, FILE_ATTRIBUTE_NORMAL = 0x80 };

enum {
    SERVER_WAIT_MS = 5000,
    CLIENT_LOCK_WAIT_MS = 5000,
    CLIENT_IDLE_LIMIT_MS = 30000,
    CLIENT_CHECK_MS = 100,       /* the client's waits are cut into slices to notice a signal */
    MAX_BASE_LENGTH = 24,        /* the project's name limit, 29, less ".read" */
    MAX_REPEAT = 1000000
};

#define FILETIME_EPOCH_SECONDS 11644473600LL /* 1601-01-01 to 1970-01-01 */
#define TICKS_PER_SECOND 10000000LL

#define USAGE "peer04 client [--names BASE] [--quiet] | peer04 server DIRECTORY [--names BASE] [--repeat N]"
#define HELP_HINT "(run with --help for usage)"

/* ---- output: every line "[role] ...", as the Java programs print them ---- */

static const char *role = "peer04";

static void say(const char *format, ...) {
    va_list args;
    va_start(args, format);
    printf("[%s] ", role);
    vprintf(format, args);
    putchar('\n');
    va_end(args);
}

/* A failure at run time: one line, exit 1 (the client's exit handler removes what it made). */
static void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fflush(stdout);
    fprintf(stderr, "[%s] error: ", role);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

static void usage_error(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "[%s] error: ", role);
    vfprintf(stderr, format, args);
    fprintf(stderr, " " HELP_HINT "\n");
    va_end(args);
    exit(2);
}

static const char *reason(int error) {
    switch (error) {
        case EACCES: return "permission denied";
        case ENOENT: return "it vanished";
        default: return strerror(error);
    }
}

/* ---- the four names: the article's, or BASE.new, BASE.read, BASE.lock, BASE.map ---- */

typedef struct {
    char base[MAX_BASE_LENGTH + 1]; /* empty: the article's names */
    char new_data[48], read_finish[48], lock[48], mapping[48]; /* with the leading '/' */
} names;

static void check_base(const char *base) {
    size_t length = strlen(base);
    if (length > MAX_BASE_LENGTH) {
        usage_error("--names BASE must be at most %d characters (the name limit, 29, less the longest suffix"
                    " this module appends), not %zu ('%s')", MAX_BASE_LENGTH, length, base);
    }
    for (size_t i = 0; i < length; i++) {
        char c = base[i];
        int portable = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                || (i > 0 && (c == '.' || c == '-'));
        if (!portable) {
            usage_error("--names BASE: invalid name '%s': use letters, digits, '.', '_' and '-', starting with a"
                        " letter, digit or '_'", base);
        }
    }
    if (length == 0) {
        usage_error("--names BASE: invalid name '': it is empty");
    }
}

static void names_of(names *n, const char *base) {
    if (base == NULL) {
        n->base[0] = 0;
        snprintf(n->new_data, sizeof n->new_data, "/IPC_Test_ServerNewData");
        snprintf(n->read_finish, sizeof n->read_finish, "/IPC_Test_ClientReadFinish");
        snprintf(n->lock, sizeof n->lock, "/IPC_Test_LockMutex");
        snprintf(n->mapping, sizeof n->mapping, "/www.cpp-blog.com");
        return;
    }
    check_base(base);
    snprintf(n->base, sizeof n->base, "%s", base);
    snprintf(n->new_data, sizeof n->new_data, "/%s.new", base);
    snprintf(n->read_finish, sizeof n->read_finish, "/%s.read", base);
    snprintf(n->lock, sizeof n->lock, "/%s.lock", base);
    snprintf(n->mapping, sizeof n->mapping, "/%s.map", base);
}

/* ---- the record: little-endian fields, UTF-16LE name ---- */

static void put32(unsigned char *at, uint32_t value) {
    for (int i = 0; i < 4; i++) {
        at[i] = (unsigned char)(value >> (8 * i));
    }
}

static void put64(unsigned char *at, uint64_t value) {
    put32(at, (uint32_t)value);
    put32(at + 4, (uint32_t)(value >> 32));
}

static uint32_t get32(const unsigned char *at) {
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

static uint16_t get16(const unsigned char *at) {
    return (uint16_t)(at[0] | at[1] << 8);
}

/* One UTF-8 sequence at *p: its code point, or U+FFFD for a malformed byte (skipped alone). */
static uint32_t decode_utf8(const unsigned char **p) {
    const unsigned char *s = *p;
    int extra = s[0] < 0x80 ? 0 : s[0] >= 0xC2 && s[0] < 0xE0 ? 1 : s[0] >= 0xE0 && s[0] < 0xF0 ? 2
            : s[0] >= 0xF0 && s[0] < 0xF5 ? 3 : -1;
    uint32_t code = extra == 0 ? s[0] : extra == 1 ? s[0] & 0x1Fu : extra == 2 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            extra = -1;
            break;
        }
        code = code << 6 | (s[i] & 0x3Fu);
    }
    uint32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (extra < 0 || code < least[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        *p = s + 1;
        return 0xFFFD;
    }
    *p = s + 1 + extra;
    return code;
}

/* The name as cFileName holds it: UTF-16LE, at most 259 units (a surrogate pair is never cut);
 * returns 1 if it had to be shortened, as the Java server's FindData.fit. */
static int put_name(unsigned char *record, const char *utf8) {
    uint16_t units[FILE_NAME_UNITS + 1];
    int count = 0, shortened = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p != 0;) {
        uint32_t code = decode_utf8(&p);
        int need = code >= 0x10000 ? 2 : 1;
        if (count + need > FILE_NAME_UNITS - 1) {
            shortened = 1;
            break;
        }
        if (need == 2) {
            units[count++] = (uint16_t)(0xD800 + ((code - 0x10000) >> 10));
            units[count++] = (uint16_t)(0xDC00 + ((code - 0x10000) & 0x3FF));
        } else {
            units[count++] = (uint16_t)code;
        }
    }
    for (int i = 0; i < count; i++) {
        record[FILE_NAME_OFFSET + 2 * i] = (unsigned char)units[i];
        record[FILE_NAME_OFFSET + 2 * i + 1] = (unsigned char)(units[i] >> 8);
    }
    return shortened;
}

/* cFileName as UTF-8, into out (at least 4 * 259 + 1 bytes); an unpaired surrogate becomes '?',
 * as Java's encoder writes it. */
static void get_name(const unsigned char *record, char *out) {
    char *o = out;
    for (int i = 0; i < FILE_NAME_UNITS - 1; i++) {
        uint32_t code = get16(record + FILE_NAME_OFFSET + 2 * i);
        if (code == 0) {
            break;
        }
        if (code >= 0xD800 && code <= 0xDFFF) {
            uint32_t low = i + 1 < FILE_NAME_UNITS - 1 ? get16(record + FILE_NAME_OFFSET + 2 * (i + 1)) : 0;
            if (code < 0xDC00 && low >= 0xDC00 && low <= 0xDFFF) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                i++;
            } else {
                code = '?';
            }
        }
        if (code < 0x80) {
            *o++ = (char)code;
        } else if (code < 0x800) {
            *o++ = (char)(0xC0 | code >> 6);
            *o++ = (char)(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            *o++ = (char)(0xE0 | code >> 12);
            *o++ = (char)(0x80 | (code >> 6 & 0x3F));
            *o++ = (char)(0x80 | (code & 0x3F));
        } else {
            *o++ = (char)(0xF0 | code >> 18);
            *o++ = (char)(0x80 | (code >> 12 & 0x3F));
            *o++ = (char)(0x80 | (code >> 6 & 0x3F));
            *o++ = (char)(0x80 | (code & 0x3F));
        }
    }
    *o = 0;
}

/* A FILETIME: 100 ns ticks since 1601-01-01 UTC; 0 for anything before (FindData.fileTime). */
static uint64_t file_time(struct timespec t) {
    int64_t seconds = (int64_t)t.tv_sec + FILETIME_EPOCH_SECONDS;
    if (seconds < 0) {
        return 0;
    }
    if (seconds > INT64_MAX / TICKS_PER_SECOND - 1) {
        return INT64_MAX;
    }
    return (uint64_t)(seconds * TICKS_PER_SECOND + t.tv_nsec / 100);
}

/* What the walk needs of an entry, its link not followed. */
typedef struct {
    int is_directory, owner_may_write;
    uint64_t size;
    struct timespec created, accessed, written;
} entry_info;

/* 0, or -1 with errno. "created" is the birth time where the file system keeps one, else the
 * last write, as the JDK reports creationTime. */
static int read_info(const char *path, entry_info *info) {
#if defined(__linux__) && defined(STATX_BTIME)
    struct statx st;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME, &st) != 0) {
        return -1;
    }
    info->is_directory = S_ISDIR(st.stx_mode);
    info->owner_may_write = (st.stx_mode & S_IWUSR) != 0;
    info->size = st.stx_size;
    info->accessed = (struct timespec){st.stx_atime.tv_sec, st.stx_atime.tv_nsec};
    info->written = (struct timespec){st.stx_mtime.tv_sec, st.stx_mtime.tv_nsec};
    info->created = (st.stx_mask & STATX_BTIME) ? (struct timespec){st.stx_btime.tv_sec, st.stx_btime.tv_nsec}
            : info->written;
#else
    struct stat st;
    if (lstat(path, &st) != 0) {
        return -1;
    }
    info->is_directory = S_ISDIR(st.st_mode);
    info->owner_may_write = (st.st_mode & S_IWUSR) != 0;
    info->size = (uint64_t)st.st_size;
#if defined(__APPLE__)
    info->accessed = st.st_atimespec;
    info->written = st.st_mtimespec;
    info->created = st.st_birthtimespec;
#else
    info->accessed = st.st_atim;
    info->written = st.st_mtim;
    info->created = st.st_mtim;
#endif
#endif
    return 0;
}

/* ---- waits ---- */

static volatile sig_atomic_t stop_signal; /* the client's: set by its signal handler */

static void on_signal(int signal) {
    stop_signal = signal;
}

/* The client's wait for an event: 1 set, 0 timed out, -1 a signal asks it to stop. In slices,
 * since a signal does not end the wait inside shmipc_event_await. */
static int await_event(shmipc_sync *event, int64_t timeout_ms) {
    int64_t end = shmipc_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = end - shmipc_now_ms();
        if (shmipc_event_await(event, left < CLIENT_CHECK_MS ? (left > 0 ? left : 0) : CLIENT_CHECK_MS)) {
            return 1;
        }
        if (stop_signal != 0) {
            return -1;
        }
        if (shmipc_now_ms() >= end) {
            return 0;
        }
    }
}

/* The client's lock: as shmipc_mutex_lock, or -1 if a signal asks it to stop. */
static int lock_mutex(shmipc_sync *mutex, int64_t timeout_ms) {
    int64_t end = shmipc_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = end - shmipc_now_ms();
        int result = shmipc_mutex_lock(mutex, left < CLIENT_CHECK_MS ? (left > 0 ? left : 0) : CLIENT_CHECK_MS);
        if (result != SHMIPC_TIMEOUT) {
            return result;
        }
        if (stop_signal != 0) {
            return -1;
        }
        if (shmipc_now_ms() >= end) {
            return SHMIPC_TIMEOUT;
        }
    }
}

static void stop_if_signalled(void) {
    if (stop_signal != 0) {
        int signal = stop_signal;
        fflush(stdout);
        fprintf(stderr, "[%s] stopped by %s\n", role,
                signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "a signal");
        exit(128 + signal);
    }
}

/* ---- the client ---- */

/* What the client made, in order: the exit handler closes and removes it in reverse order. */
static struct {
    const char *name;
    shmipc_sync *sync; /* NULL: the mapping */
} made[4];
static int made_count;
static unsigned char *client_mapping;

static void remove_made(void) {
    while (made_count > 0) {
        made_count--;
        if (made[made_count].sync != NULL) {
            shmipc_close(made[made_count].sync);
            shmipc_unlink(made[made_count].name);
        } else {
            if (client_mapping != NULL) {
                munmap(client_mapping, MAPPING_SIZE);
                client_mapping = NULL;
            }
            shm_unlink(made[made_count].name);
        }
    }
}

static void remember(const char *name, shmipc_sync *sync) {
    made[made_count].name = name;
    made[made_count].sync = sync;
    made_count++;
}

static void fail_to_create(const names *n, const char *what, const char *name) {
    if (errno == EEXIST) {
        fail("'%s' exists: another client is running, or one that crashed left it (Client --remove-stale%s%s"
             " removes it)", name + 1, n->base[0] != 0 ? " --names " : "", n->base);
    }
    fail("cannot create %s '%s': %s", what, name + 1, strerror(errno));
}

static int64_t new_run_token(void) {
    int64_t token = 0;
    FILE *random = fopen("/dev/urandom", "rb");
    while (random != NULL && token == 0) {
        if (fread(&token, sizeof token, 1, random) != 1) {
            break;
        }
    }
    if (random != NULL) {
        fclose(random);
    }
    if (token == 0) {
        fail("cannot read /dev/urandom for the run token");
    }
    return token;
}

/* CreateFileMapping, MapViewOfFile, then the run token and the mark: Channel.create's first step. */
static void create_mapping(const names *n) {
    int fd = shm_open(n->mapping, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) {
        fail_to_create(n, "mapping", n->mapping);
    }
    remember(n->mapping, NULL);
    if (ftruncate(fd, MAPPING_SIZE) != 0) {
        fail("cannot size mapping '%s' to %d bytes: %s", n->mapping + 1, MAPPING_SIZE, strerror(errno));
    }
#if defined(__linux__)
    /* Reserve the pages now, as the Java side does: a full /dev/shm fails here, not with a SIGBUS later. */
    int error = posix_fallocate(fd, 0, MAPPING_SIZE);
    if (error != 0) {
        fail("cannot reserve mapping '%s': %s", n->mapping + 1, strerror(error));
    }
#endif
    void *address = mmap(NULL, MAPPING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int saved = errno;
    close(fd);
    if (address == MAP_FAILED) {
        fail("cannot map '%s': %s", n->mapping + 1, strerror(saved));
    }
    client_mapping = address;
    __atomic_store_n((int64_t *)(client_mapping + RUN_TOKEN_OFFSET), new_run_token(), __ATOMIC_RELEASE);
    __atomic_store_n((int64_t *)(client_mapping + MARK_OFFSET), (int64_t)MARK, __ATOMIC_RELEASE);
}

static void create_sync(const names *n, shmipc_sync *s, const char *name, int32_t kind, int initially) {
    if (shmipc_create(s, name, kind, initially) != 0) {
        fail_to_create(n, kind == SHMIPC_EVENT ? "event" : "mutex", name);
    }
    remember(name, s);
}

/* The sequence check of the Java client: which numbers came, how many twice or late. */
typedef struct {
    uint64_t *seen;
    size_t words;
    uint32_t received, highest, distinct, duplicated, out_of_order;
} sequence_check;

static void check_sequence(sequence_check *c, uint32_t sequence) {
    c->received++;
    if (sequence == 0 || sequence > INT32_MAX) {
        c->out_of_order++; /* not a number a server gives: count it against the stream */
        return;
    }
    size_t word = sequence / 64;
    if (word >= c->words) {
        size_t words = (word + 1) * 2;
        uint64_t *grown = realloc(c->seen, words * sizeof *grown);
        if (grown == NULL) {
            fail("out of memory for the sequence check");
        }
        memset(grown + c->words, 0, (words - c->words) * sizeof *grown);
        c->seen = grown;
        c->words = words;
    }
    uint64_t bit = (uint64_t)1 << (sequence % 64);
    if (c->seen[word] & bit) {
        c->duplicated++;
        return;
    }
    c->seen[word] |= bit;
    c->distinct++;
    if (sequence < c->highest) {
        c->out_of_order++;
    }
    if (sequence > c->highest) {
        c->highest = sequence;
    }
}

static int run_client(const names *n, int quiet) {
    static shmipc_sync new_data, read_finish, lock;
    role = "client";
    /* Installed before the first create: a signal from here on ends the client through exit(),
     * whose handler removes whatever has been made by then. */
    atexit(remove_made);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART; /* a line being printed is finished, not lost */
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    signal(SIGPIPE, SIG_IGN); /* a reader gone from standard output must not cut the clean-up short */

    /* CreateFileMapping (first, as Channel.create: it carries the run token), CreateEvent (not
     * set), CreateEvent (set), CreateMutex (owned) */
    create_mapping(n);
    create_sync(n, &new_data, n->new_data, SHMIPC_EVENT, 0);
    create_sync(n, &read_finish, n->read_finish, SHMIPC_EVENT, 1);
    create_sync(n, &lock, n->lock, SHMIPC_MUTEX, 1);

    /* allow a server to write data to the memory (ClientReadFinish is set already: setting it
     * again leaves it set once, the auto-reset rule) */
    shmipc_event_set(&read_finish);
    shmipc_mutex_unlock(&lock);
    say("waiting for a server on %s, %s, %s, %s", n->new_data + 1, n->read_finish + 1, n->lock + 1, n->mapping + 1);

    sequence_check check = {0};
    unsigned char record[RECORD_SIZE];
    char name[4 * FILE_NAME_UNITS + 1];
    int64_t start_ns = 0;
    for (;;) {
        int got = await_event(&new_data, CLIENT_IDLE_LIMIT_MS);
        stop_if_signalled();
        if (!got) {
            fail("no record from a server for %d s after %u records", CLIENT_IDLE_LIMIT_MS / 1000, check.received);
        }
        if (start_ns == 0) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            start_ns = (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; /* the rate leaves out the wait for a server */
        }
        int locked = lock_mutex(&lock, CLIENT_LOCK_WAIT_MS);
        stop_if_signalled();
        if (locked == SHMIPC_TIMEOUT) {
            fail("the mutex stayed locked for %d ms after %u records", CLIENT_LOCK_WAIT_MS, check.received);
        }
        if (locked == SHMIPC_ABANDONED) {
            /* the buffer may be half-written: do not read it */
            fail("the server died holding the mutex (abandoned) after %u records", check.received);
        }
        memcpy(record, client_mapping, RECORD_SIZE);
        shmipc_mutex_unlock(&lock);
        shmipc_event_set(&read_finish);

        get_name(record, name);
        if (name[0] == 0) {
            break; /* the empty record: the end */
        }
        if (!quiet) {
            say("File found : %s%s", name, (get32(record + FLAGS_OFFSET) & FLAG_NAME_SHORTENED) ? " (name shortened)" : "");
        }
        check_sequence(&check, get32(record + SEQUENCE_OFFSET));
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double seconds = ((int64_t)t.tv_sec * 1000000000 + t.tv_nsec - start_ns) / 1e9;
    uint32_t lost = check.highest - check.distinct;

    say("Done.");
    char rate[32] = "-";
    if (seconds > 0) {
        snprintf(rate, sizeof rate, "%.0f", check.received / seconds);
    }
    say("%u records in %.2f s (%s records/s)", check.received, seconds, rate);
    say("sequence check: %u lost, %u duplicated, %u out of order", lost, check.duplicated, check.out_of_order);
    free(check.seen);
    if (lost != 0 || check.duplicated != 0 || check.out_of_order != 0) {
        fail("the sequence check failed: %u lost, %u duplicated, %u out of order", lost, check.duplicated,
             check.out_of_order);
    }
    return 0; /* the exit handler removes the four names */
}

/* ---- the server ---- */

static struct {
    shmipc_sync new_data, read_finish, lock;
    unsigned char *buffer;
    uint32_t sent, skipped;
} server;

static void open_sync(shmipc_sync *s, const char *name, int32_t kind) {
    if (shmipc_open(s, name, kind) != 0) {
        const char *what = kind == SHMIPC_EVENT ? "event" : "mutex";
        fail("can not get sync handles: cannot open %s '%s': %s (the client creates them)", what, name + 1,
             errno == ENOENT ? "not found" : errno == EPROTO
                     ? (kind == SHMIPC_EVENT ? "not a named event of protocol 2" : "not a named mutex of protocol 2")
                     : strerror(errno));
    }
}

/* OpenFileMapping, MapViewOfFile: the record is all the server needs (a 592-byte mapping will do). */
static void open_mapping(const char *name) {
    int fd = shm_open(name, O_RDWR, 0);
    if (fd < 0) {
        fail("can not get sync handles: cannot open mapping '%s': %s (the client creates them)", name + 1,
             errno == ENOENT ? "not found" : strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < RECORD_SIZE) {
        close(fd);
        fail("mapping '%s' is smaller than one record (%d bytes)", name + 1, RECORD_SIZE);
    }
    void *address = mmap(NULL, RECORD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int saved = errno;
    close(fd);
    if (address == MAP_FAILED) {
        fail("cannot map '%s': %s", name + 1, strerror(saved));
    }
    server.buffer = address;
}

/* The article's FileFoundCallback: wait for the read, lock, copy in, unlock, say new data. */
static void send_record(const unsigned char *record) {
    uint32_t sequence = get32(record + SEQUENCE_OFFSET);
    char what[32];
    if (sequence == 0) {
        snprintf(what, sizeof what, "the end record");
    } else {
        snprintf(what, sizeof what, "record %u", sequence);
    }
    if (!shmipc_event_await(&server.read_finish, SERVER_WAIT_MS)) {
        fail("the client did not read for %d ms; giving up before %s (%u sent)", SERVER_WAIT_MS, what, server.sent);
    }
    int locked = shmipc_mutex_lock(&server.lock, SERVER_WAIT_MS);
    if (locked == SHMIPC_TIMEOUT) {
        fail("the mutex stayed locked for %d ms; giving up before %s (%u sent)", SERVER_WAIT_MS, what, server.sent);
    }
    if (locked == SHMIPC_ABANDONED) {
        shmipc_mutex_unlock(&server.lock);
        fail("the client died holding the mutex; giving up before %s (%u sent)", what, server.sent);
    }
    /* here we own the mutex, and we can copy our data to the shared memory */
    memcpy(server.buffer, record, RECORD_SIZE);
    shmipc_mutex_unlock(&server.lock);
    shmipc_event_set(&server.new_data);
    if (sequence != 0) {
        server.sent++;
    }
}

/* The record FindNextFile would give for the entry, as the Java server's FindData.of. */
static void send_entry(const char *name, const entry_info *info) {
    unsigned char record[RECORD_SIZE] = {0};
    uint32_t attributes = (info->owner_may_write ? 0 : FILE_ATTRIBUTE_READONLY)
            | (name[0] == '.' ? FILE_ATTRIBUTE_HIDDEN : 0); /* the Unix convention for a hidden file */
    put32(record + ATTRIBUTES_OFFSET, attributes != 0 ? attributes : FILE_ATTRIBUTE_NORMAL);
    put64(record + CREATION_TIME_OFFSET, file_time(info->created));
    put64(record + LAST_ACCESS_TIME_OFFSET, file_time(info->accessed));
    put64(record + LAST_WRITE_TIME_OFFSET, file_time(info->written));
    put32(record + SIZE_HIGH_OFFSET, (uint32_t)(info->size >> 32));
    put32(record + SIZE_LOW_OFFSET, (uint32_t)info->size);
    put32(record + SEQUENCE_OFFSET, server.sent + 1);
    if (put_name(record, name)) {
        put32(record + FLAGS_OFFSET, FLAG_NAME_SHORTENED);
        say("name longer than %d characters, sent shortened: %s", FILE_NAME_UNITS - 1, name);
    }
    send_record(record);
}

/* The article's recursive FindFile, in the order Files.walkFileTree visits: each entry as
 * readdir gives it, a directory walked at once. path has room for PATH_MAX bytes. */
static void walk(char *path, size_t length) {
    DIR *dir = opendir(path);
    if (dir == NULL) {
        server.skipped++;
        say("cannot read %s (%s), skipped", path, reason(errno));
        return;
    }
    size_t at = length > 0 && path[length - 1] == '/' ? length : length + 1;
    errno = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL; errno = 0) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
            continue;
        }
        size_t n = strlen(entry->d_name);
        if (at + n >= PATH_MAX) {
            server.skipped++;
            say("cannot read %s/%s (path too long), skipped", path, entry->d_name);
            continue;
        }
        path[at - 1] = '/';
        memcpy(path + at, entry->d_name, n + 1);
        entry_info info;
        if (read_info(path, &info) != 0) {
            server.skipped++;
            say("cannot read %s (%s), skipped", path, reason(errno));
        } else if (info.is_directory) {
            walk(path, at + n);
        } else {
            send_entry(entry->d_name, &info);
        }
        path[length] = 0;
    }
    if (errno != 0) {
        server.skipped++;
        say("cannot read all of %s (%s), skipped the rest", path, reason(errno));
    }
    closedir(dir);
}

static int run_server(const names *n, const char *directory, long repeat) {
    role = "server";
    say("hallo from server");
    struct stat st;
    if (stat(directory, &st) != 0) {
        fail("no such directory: %s", directory);
    }
    if (!S_ISDIR(st.st_mode)) {
        fail("not a directory: %s", directory);
    }

    /* OpenEvent, OpenEvent, OpenMutex, OpenFileMapping, MapViewOfFile */
    open_sync(&server.new_data, n->new_data, SHMIPC_EVENT);
    open_sync(&server.read_finish, n->read_finish, SHMIPC_EVENT);
    open_sync(&server.lock, n->lock, SHMIPC_MUTEX);
    open_mapping(n->mapping);

    char path[PATH_MAX];
    if (realpath(directory, path) == NULL) { /* a link to a directory is walked, not sent */
        fail("cannot list %s: %s", directory, reason(errno));
    }
    for (long round = 0; round < repeat; round++) {
        walk(path, strlen(path));
    }
    /* send one empty "data" to inform that we are done */
    unsigned char end[RECORD_SIZE] = {0};
    send_record(end);
    /* wait for the last client read */
    if (!shmipc_event_await(&server.read_finish, SERVER_WAIT_MS)) {
        fail("the client did not confirm the end record within %d ms", SERVER_WAIT_MS);
    }
    say("sent %u records, skipped %u unreadable entries", server.sent, server.skipped);
    say("server done");
    return 0;
}

/* ---- arguments ---- */

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it is printed: a reader at the pipe follows along */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: " USAGE "\n");
            return 0;
        }
    }
    if (argc < 2) {
        usage_error("say which side to run: client or server");
    }
    if (strcmp(argv[1], "client") != 0 && strcmp(argv[1], "server") != 0) {
        usage_error("the first argument is client or server, not '%s'", argv[1]);
    }
    int is_client = strcmp(argv[1], "client") == 0;
    role = is_client ? "client" : "server";
    const char *base = NULL, *directory = NULL;
    int quiet = 0;
    long repeat = 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--names") == 0 && i + 1 < argc) {
            base = argv[++i];
        } else if (is_client && strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (!is_client && strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            repeat = strtol(argv[++i], &end, 10);
            if (errno != 0 || *end != 0 || end == argv[i] || repeat < 1 || repeat > MAX_REPEAT) {
                usage_error("--repeat takes a whole number from 1 to %d, not '%s'", MAX_REPEAT, argv[i]);
            }
        } else if (strncmp(argv[i], "--", 2) == 0) {
            usage_error("unknown option or missing value: '%s'", argv[i]);
        } else if (!is_client && directory == NULL) {
            directory = argv[i];
        } else {
            usage_error("unexpected argument '%s'", argv[i]);
        }
    }
    static names n; /* static: the client's exit handler removes these names after main returns */
    names_of(&n, base);
    if (is_client) {
        return run_client(&n, quiet);
    }
    if (directory == NULL) {
        usage_error("the directory to list is missing");
    }
    if (directory[0] == 0) {
        usage_error("DIRECTORY is empty: give the directory to list");
    }
    return run_server(&n, directory, repeat);
}
