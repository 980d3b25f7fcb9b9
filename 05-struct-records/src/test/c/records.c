/*
 * The native peer of the Java programs: writes and reads the same records in POSIX shared
 * memory, so that a test can check that C and Java agree on every byte.
 *
 *   records write-mmf NAME VALWRD VALINT VALDBL   create NAME, write one TMMFData, leave NAME
 *   records read-mmf NAME                         print the TMMFData at the start of NAME
 *   records write-table NAME RECORDS INDEX INSTRUMENT LAST BID BIDVOL ASK ASKVOL TIME MSEC
 *                                                 create a tick table, tag it as the Java writer does,
 *                                                 write one record, mark it done
 *   records read-table NAME                       attach as a reader, wait until the writer is done,
 *                                                 print every record
 *
 * NAME is the portable name; "/" is put in front as on the Java side. Output lines start with
 * "[c] "; a failure prints one line on stderr and exits 1, bad arguments exit 2.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "records.h"

#define TIMEOUT_MS 30000

static void fail(const char *call, const char *name) {
    fprintf(stderr, "[c] error: %s '%s' failed: %s\n", call, name, strerror(errno));
    exit(1);
}

static void usage(const char *what) {
    fprintf(stderr, "[c] error: %s (usage: records write-mmf|read-mmf|write-table|read-table NAME ...)\n", what);
    exit(2);
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Maps the object NAME: created with `size` bytes if create is set, else all of the existing one. */
static void *map(const char *name, size_t size, int create, size_t *mapped) {
    char path[64];
    snprintf(path, sizeof path, "/%s", name);
    int fd = shm_open(path, create ? O_CREAT | O_EXCL | O_RDWR : O_RDWR, 0600);
    if (fd < 0) {
        fail("shm_open", name);
    }
    if (create && ftruncate(fd, (off_t) size) != 0) {
        fail("ftruncate", name);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fail("fstat", name);
    }
    if ((size_t) st.st_size < size) {
        fprintf(stderr, "[c] error: '%s' is %lld bytes, smaller than the %zu needed\n", name,
                (long long) st.st_size, size);
        exit(1);
    }
    void *p = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { /* not NULL: the mistake article 002 makes */
        fail("mmap", name);
    }
    close(fd);
    *mapped = (size_t) st.st_size;
    return p;
}

static void print_record(int index, const struct MarketData *m) {
    printf("[c] record %d: %.31s last=%.2f bid=%.2fx%d ask=%.2fx%d time=%.9s.%03d\n", index, m->InstrumentID,
           m->LastPrice, m->BidPrice1, m->BidVolume1, m->AskPrice1, m->AskVolume1, m->UpdateTime,
           m->UpdateMillisec);
}

/*
 * The writer's half of the sequence lock, as SeqLock.write does it. The record itself is copied
 * with a plain memcpy on both sides: in ISO C terms a data race, the usual practice for seqlocks
 * (the Linux kernel's too), made harmless by discarding any copy the sequence does not vouch for.
 */
static void seqlock_write(struct TickSlot *slot, const struct MarketData *value) {
    int64_t s = __atomic_load_n(&slot->sequence, __ATOMIC_RELAXED);
    int64_t writing = (s & 1) == 0 ? s + 1 : s + 2;
    __atomic_store_n(&slot->sequence, writing, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the odd value before the record's stores */
    memcpy(&slot->record, value, sizeof *value);
    __atomic_store_n(&slot->sequence, writing + 1, __ATOMIC_RELEASE);
}

/* The reader's half, as SeqLock.read does it; 0 when no consistent copy came in time. */
static int seqlock_read(const struct TickSlot *slot, struct MarketData *copy) {
    for (long spins = 0; spins < 100000000L; spins++) {
        int64_t before = __atomic_load_n(&slot->sequence, __ATOMIC_ACQUIRE);
        if ((before & 1) == 0) {
            memcpy(copy, &slot->record, sizeof *copy);
            __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the copy before the second load */
            if (__atomic_load_n(&slot->sequence, __ATOMIC_RELAXED) == before) {
                return 1;
            }
        }
    }
    return 0;
}

static int write_mmf(int argc, char **argv) {
    if (argc != 6) {
        usage("write-mmf needs NAME VALWRD VALINT VALDBL");
    }
    size_t mapped;
    TMMFData *data = map(argv[2], sizeof(TMMFData), 1, &mapped);
    data->valwrd = (uint16_t) strtoul(argv[3], NULL, 10);
    data->valint = (int32_t) strtol(argv[4], NULL, 10);
    data->valdbl = strtod(argv[5], NULL);
    printf("[c] wrote valwrd=%u valint=%d valdbl=%.17g\n", data->valwrd, data->valint, data->valdbl);
    munmap(data, mapped);
    return 0;
}

static int read_mmf(int argc, char **argv) {
    if (argc != 3) {
        usage("read-mmf needs NAME");
    }
    size_t mapped;
    const TMMFData *data = map(argv[2], sizeof(TMMFData), 0, &mapped);
    printf("[c] valwrd=%u valint=%d valdbl=%.17g\n", data->valwrd, data->valint, data->valdbl);
    munmap((void *) data, mapped);
    return 0;
}

static int write_table(int argc, char **argv) {
    if (argc != 13) {
        usage("write-table needs NAME RECORDS INDEX INSTRUMENT LAST BID BIDVOL ASK ASKVOL TIME MSEC");
    }
    int records = atoi(argv[3]);
    int index = atoi(argv[4]);
    if (records < 1 || index < 0 || index >= records) {
        usage("INDEX must be in [0, RECORDS)");
    }
    size_t mapped;
    size_t size = sizeof(struct TickTableHeader) + (size_t) records * sizeof(struct TickSlot);
    struct TickTableHeader *header = map(argv[2], size, 1, &mapped);
    struct TickSlot *slots = (struct TickSlot *) (header + 1);
    /* The tag the Java writer puts in: the kind of table, and who writes it (the pid first). */
    header->pid = (int64_t) getpid();
    __atomic_thread_fence(__ATOMIC_RELEASE);
    memcpy(header->kind, "05-TICKS", sizeof header->kind);

    struct MarketData m;
    memset(&m, 0, sizeof m);
    strncpy(m.InstrumentID, argv[5], sizeof m.InstrumentID - 1);
    m.LastPrice = strtod(argv[6], NULL);
    m.BidPrice1 = strtod(argv[7], NULL);
    m.BidVolume1 = atoi(argv[8]);
    m.AskPrice1 = strtod(argv[9], NULL);
    m.AskVolume1 = atoi(argv[10]);
    strncpy(m.UpdateTime, argv[11], sizeof m.UpdateTime - 1);
    m.UpdateMillisec = atoi(argv[12]);
    seqlock_write(&slots[index], &m);

    __atomic_store_n(&header->records, records, __ATOMIC_RELEASE);
    __atomic_store_n(&header->state, TABLE_DONE, __ATOMIC_RELEASE);
    print_record(index, &m);
    munmap(header, mapped);
    return 0;
}

static int read_table(int argc, char **argv) {
    if (argc != 3) {
        usage("read-table needs NAME");
    }
    size_t mapped;
    struct TickTableHeader *header =
            map(argv[2], sizeof(struct TickTableHeader) + sizeof(struct TickSlot), 0, &mapped);
    struct TickSlot *slots = (struct TickSlot *) (header + 1);
    __atomic_fetch_add(&header->readers, 1, __ATOMIC_SEQ_CST);
    printf("[c] attached to '%s'\n", argv[2]);
    fflush(stdout);
    long waited = 0;
    while (__atomic_load_n(&header->state, __ATOMIC_ACQUIRE) != TABLE_DONE) {
        if (waited >= TIMEOUT_MS) {
            fprintf(stderr, "[c] error: the writer of '%s' did not finish within %d ms\n", argv[2], TIMEOUT_MS);
            return 1;
        }
        sleep_ms(5);
        waited += 5;
    }
    int records = __atomic_load_n(&header->records, __ATOMIC_ACQUIRE);
    if (records < 1 || sizeof(struct TickTableHeader) + (size_t) records * sizeof(struct TickSlot) > mapped) {
        fprintf(stderr, "[c] error: '%s' is not a tick table (%d records, %zu bytes)\n", argv[2], records, mapped);
        return 1;
    }
    for (int i = 0; i < records; i++) {
        struct MarketData m;
        if (!seqlock_read(&slots[i], &m)) {
            fprintf(stderr, "[c] error: no consistent copy of record %d\n", i);
            return 1;
        }
        print_record(i, &m);
    }
    munmap(header, mapped);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage("an action is required");
    }
    if (strcmp(argv[1], "write-mmf") == 0) {
        return write_mmf(argc, argv);
    }
    if (strcmp(argv[1], "read-mmf") == 0) {
        return read_mmf(argc, argv);
    }
    if (strcmp(argv[1], "write-table") == 0) {
        return write_table(argc, argv);
    }
    if (strcmp(argv[1], "read-table") == 0) {
        return read_table(argc, argv);
    }
    usage("unknown action");
    return 2;
}
