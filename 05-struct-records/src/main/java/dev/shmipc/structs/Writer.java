package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.structs.MarketData.Tick;
import dev.shmipc.structs.WriterTag.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The writing side, in three parts.
 *
 * <p><b>The Delphi form (article 001).</b> {@code create} is {@code CreateMMF} in
 * {@code FormCreate}: it creates the {@link MmfData} object and holds it until Enter, the end of
 * standard input, {@code --hold} seconds or Ctrl-C, then {@code FreeMMF}. Each other action is a
 * button click: {@code OpenMMF}, one access through a {@code PMMFData} pointer, {@code CloseMMF}.
 * {@code show-valint} is Button1 ({@code ShowMessage(Format('valint = %d', ...))}),
 * {@code set-valint} is Button2 ({@code valint := 1}); {@code show}, {@code set-valwrd} and
 * {@code set-valdbl} do the same for the other fields.
 *
 * <p><b>The market-data writer (article 003).</b> {@code ticks} creates a {@link TickTable},
 * waits for a reader, and publishes quotes into it, each record under its sequence lock.
 *
 * <p><b>The torn-read demo.</b> {@code churn} rewrites a {@link GuardedMmfData} record as fast
 * as it can until the reader says it is done.
 *
 * <p><b>Clean-up.</b> {@code --remove-stale} removes what a killed writer left: only objects
 * that carry this module's {@link WriterTag} and whose writer has ended, never another module's
 * object of the same name (02's Owner also uses {@code MEMORY_MAPPED_FILE_NAME}) or a running
 * writer's. It prints one line per name and exits.
 */
public final class Writer {
    static final String ROLE = "writer";
    static final String USAGE = "Writer create [--hold SECONDS] | show | show-valint | set-valint [N] | set-valwrd N"
            + " | set-valdbl X  [--name NAME]"
            + "  ||  Writer ticks [--name NAME] [--records N] [--ticks N] [--interval-ms MS] [--wait-reader-ms MS]"
            + "  ||  Writer churn [--name NAME] [--seconds S]"
            + "  ||  Writer [create | ticks | churn] --remove-stale [--name NAME]";
    static final Set<String> OPTIONS =
            Set.of("name", Cli.HOLD, "records", "ticks", "interval-ms", "wait-reader-ms", "seconds");
    static final Set<String> FLAGS = Set.of(Cli.REMOVE_STALE);
    /** How long {@code create} holds the record when nothing else ends the hold. */
    static final long DEFAULT_HOLD_SECONDS = 300;
    /** The object {@code create} makes: the 14-byte record, 2 bytes of padding, the tag. */
    static final int FORM_SIZE = WriterTag.END;

    private Writer() {
    }

    public static void main(String[] args) {
        Cli.main(ROLE, USAGE, OPTIONS, FLAGS, args, Writer::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        List<String> words = args.positional(2);
        if (args.removeStale()) {
            return removeStale(args, words);
        }
        if (words.isEmpty()) {
            throw new Cli.UsageException("an action is required");
        }
        String action = words.get(0);
        String value = words.size() > 1 ? words.get(1) : null;
        if (value != null && !action.startsWith("set-")) {
            throw new Cli.UsageException("unexpected argument '" + value + "'");
        }
        switch (action) {
            case "create":
                Actions.allow(args, action, OPTIONS, "name", Cli.HOLD);
                return create(args.option("name", MmfData.DEFAULT_NAME), args.hold(DEFAULT_HOLD_SECONDS));
            case "show":
            case "show-valint":
            case "set-valint":
            case "set-valwrd":
            case "set-valdbl":
                Actions.allow(args, action, OPTIONS, "name");
                return click(args.option("name", MmfData.DEFAULT_NAME), action, value);
            case "ticks":
                Actions.allow(args, action, OPTIONS, "name", "records", "ticks", "interval-ms", "wait-reader-ms");
                return ticks(args.option("name", TickTable.DEFAULT_NAME),
                        args.intOption("records", 4, 1, TickTable.MAX_RECORDS),
                        args.intOption("ticks", 12, 0, 1_000_000),
                        args.longOption("interval-ms", 100, 0, 60_000),
                        args.longOption("wait-reader-ms", 30_000, 0, 3_600_000));
            case "churn":
                Actions.allow(args, action, OPTIONS, "name", "seconds");
                return churn(args.option("name", GuardedMmfData.DEFAULT_NAME), args.intOption("seconds", 60, 1, 3600));
            default:
                throw new Cli.UsageException("unknown action '" + action + "'");
        }
    }

    /**
     * {@code CreateMMF}: {@code CreateFileMapping(..., SizeOf(TMMFData), name)}, held until the
     * form closes. The record is at offset 0, as in the article; this module's tag follows it.
     */
    private static int create(String name, Duration hold) throws InterruptedException {
        try (SharedMemory shm = NamedMemory.create(name, FORM_SIZE, WriterTag.Kind.FORM)) {
            System.out.println("[writer] created '" + name + "' (" + shm.nativeName() + "), " + shm.size()
                    + " bytes: SizeOf(TMMFData) = " + MmfData.SIZE + ", then this module's tag at "
                    + WriterTag.OFFSET);
            System.out.println("[writer] holding it; press Enter to remove it and exit (or wait " + hold.toSeconds()
                    + " s, or Ctrl-C)");
            String what = Cli.awaitEnter(hold);
            String removed = NamedMemory.remove(shm); // FreeMMF
            System.out.println("[writer] " + (what != null ? what : "held for " + hold.toSeconds() + " s, time is up")
                    + "; " + removed);
        }
        return Cli.EXIT_OK;
    }

    /**
     * {@code --remove-stale}: checks the name of one action ({@code create}, {@code ticks},
     * {@code churn}), or with no action the names given by {@code --name} or else all three
     * default names; removes each that a writer of this module left and that no running writer
     * holds. One line per name; exit 1 if anything was left alone.
     */
    private static int removeStale(Cli.Args args, List<String> words) {
        for (String option : OPTIONS) {
            if (!option.equals("name") && args.option(option, null) != null) {
                throw new Cli.UsageException("--" + Cli.REMOVE_STALE + " takes no option but --name, not --" + option);
            }
        }
        if (words.size() > 1) {
            throw new Cli.UsageException("unexpected argument '" + words.get(1) + "'");
        }
        String given = args.option("name", null);
        List<String> names;
        if (words.isEmpty()) {
            names = given != null ? List.of(given)
                    : List.of(MmfData.DEFAULT_NAME, TickTable.DEFAULT_NAME, GuardedMmfData.DEFAULT_NAME);
        } else {
            String fallback;
            switch (words.get(0)) {
                case "create":
                    fallback = MmfData.DEFAULT_NAME;
                    break;
                case "ticks":
                    fallback = TickTable.DEFAULT_NAME;
                    break;
                case "churn":
                    fallback = GuardedMmfData.DEFAULT_NAME;
                    break;
                default:
                    throw new Cli.UsageException("--" + Cli.REMOVE_STALE + " goes with create, ticks, churn or no"
                            + " action, not '" + words.get(0) + "'");
            }
            names = List.of(given != null ? given : fallback);
        }
        names.forEach(ObjectName::of); // every name is checked before any is touched
        boolean leftSome = false;
        for (String name : names) {
            leftSome |= !removeIfStale(name);
        }
        return leftSome ? Cli.EXIT_FAILURE : Cli.EXIT_OK;
    }

    /** Removes {@code name} if a writer of this module left it; false if something was left alone. */
    private static boolean removeIfStale(String name) {
        if (!OsFamily.current().isPosix()) {
            System.out.println("[writer] nothing to remove for '" + name + "' on Windows: a mapping disappears"
                    + " with its last handle");
            return true;
        }
        Finding found = WriterTag.inspect(name);
        switch (found.status()) {
            case NONE:
                System.out.println("[writer] nothing named '" + name + "' to remove");
                return true;
            case LIVE:
                System.out.println("[writer] left '" + name + "' alone: it is " + found.what()
                        + ", which is still running");
                return false;
            case FOREIGN:
                System.out.println("[writer] left '" + name + "' alone, " + found.why());
                return false;
            default:
                // A new object of this name could appear between the look and the removal only if
                // something else removed this one first; nothing in this project does.
                if (SharedMemory.unlink(name)) {
                    System.out.println("[writer] removed '" + name + "': " + found.what()
                            + (found.kind() == null ? "" : ", which had ended and left it behind"));
                } else {
                    System.out.println("[writer] nothing named '" + name + "' to remove (it went meanwhile)");
                }
                return true;
        }
    }

    /** One button click: {@code OpenMMF}, one access, {@code CloseMMF}. */
    private static int click(String name, String action, String text) {
        // Parse before opening, so that bad input changes nothing.
        Number value = action.startsWith("set-") ? parse(action.substring(4), text) : null;
        // The record of whatever holds the name: Writer create's, 02's Owner's or a C peer's.
        try (SharedMemory shm = NamedMemory.open(name, MmfData.SIZE, "Writer create", MmfData.DEFAULT_NAME)) {
            MmfData data = MmfData.at(shm); // PMMFData(p)
            switch (action) {
                case "show":
                    System.out.println("[writer] " + data);
                    break;
                case "show-valint":
                    System.out.println("[writer] valint = " + data.valint());
                    break;
                case "set-valint":
                    data.valint(value.intValue());
                    System.out.println("[writer] valint := " + value);
                    break;
                case "set-valwrd":
                    data.valwrd(value.intValue());
                    System.out.println("[writer] valwrd := " + value);
                    break;
                default:
                    data.valdbl(value.doubleValue());
                    System.out.println("[writer] valdbl := " + value);
                    break;
            }
        }
        return Cli.EXIT_OK;
    }

    private static Number parse(String field, String text) {
        if (text == null) {
            if (field.equals("valint")) {
                return 1; // Button2: valint := 1
            }
            throw new Cli.UsageException("set-" + field + " needs a value");
        }
        try {
            switch (field) {
                case "valdbl":
                    return Double.parseDouble(text);
                case "valwrd":
                    int word = Integer.parseInt(text);
                    if (word < 0 || word > 0xFFFF) {
                        throw new Cli.UsageException("valwrd is a WORD, 0 to 65535, not " + word);
                    }
                    return word;
                default:
                    return Integer.parseInt(text);
            }
        } catch (NumberFormatException e) {
            String kind = field.equals("valdbl") ? "a number" : field.equals("valwrd") ? "a WORD (0 to 65535)"
                    : "an Integer (32 bits)";
            throw new Cli.UsageException(field + " must be " + kind + ", not '" + text + "'");
        }
    }

    /** Publishes quotes into a table of market-data records. */
    private static int ticks(String name, int records, int ticks, long intervalMillis, long waitReaderMillis)
            throws InterruptedException {
        try (SharedMemory shm = NamedMemory.create(name, TickTable.size(records), WriterTag.Kind.TABLE)) {
            SeqLock[] locks = new SeqLock[records];
            MarketData[] slots = new MarketData[records];
            for (int i = 0; i < records; i++) {
                locks[i] = new SeqLock(shm, TickTable.slotOffset(i) + TickTable.SEQUENCE_OFFSET);
                slots[i] = new MarketData(shm.buffer(), TickTable.slotOffset(i) + TickTable.RECORD_OFFSET);
                slots[i].set(Ticks.tick(i, 0));
            }
            shm.setIntRelease(TickTable.RECORDS_OFFSET, records);
            shm.setIntRelease(TickTable.STATE_OFFSET, TickTable.PUBLISHING); // after the slots: release
            System.out.println("[writer] created '" + name + "': " + records + " records of " + MarketData.SIZE
                    + " bytes, " + shm.size() + " bytes in all");

            System.out.println("[writer] waiting up to " + waitReaderMillis + " ms for a reader");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitReaderMillis);
            while (shm.getIntAcquire(TickTable.READERS_OFFSET) == 0 && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            System.out.println(shm.getIntAcquire(TickTable.READERS_OFFSET) > 0 ? "[writer] a reader is attached"
                    : "[writer] no reader attached; publishing anyway");

            for (int k = 0; k < ticks; k++) {
                int slot = k % records;
                Tick tick = Ticks.tick(slot, 1 + k / records);
                locks[slot].write(() -> slots[slot].set(tick));
                System.out.println("[writer] tick " + (k + 1) + " -> record " + slot + ": " + tick.format());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMillis));
            }
            shm.setIntRelease(TickTable.STATE_OFFSET, TickTable.DONE);
            System.out.println("[writer] published " + ticks + " ticks; " + NamedMemory.remove(shm));
        }
        return Cli.EXIT_OK;
    }

    /** Rewrites the guarded record as fast as possible: the other side counts torn copies. */
    private static int churn(String name, int seconds) {
        try (SharedMemory shm = NamedMemory.create(name, GuardedMmfData.SIZE, WriterTag.Kind.GUARDED)) {
            SeqLock lock = new SeqLock(shm, GuardedMmfData.SEQUENCE_OFFSET);
            MmfData record = new MmfData(shm.buffer(), GuardedMmfData.RECORD_OFFSET);
            System.out.println("[writer] churning '" + name + "' for up to " + seconds + " s: update n writes"
                    + " valwrd = n mod 65536, valint = n, valdbl = n, under a sequence lock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long n = 0;
            boolean stopped;
            do {
                for (int i = 0; i < 1024; i++) { // check the flag and the clock now and then, not per update
                    int update = (int) ++n; // wraps after 2^31: the fields still agree
                    lock.write(() -> GuardedMmfData.put(record, update));
                }
                stopped = shm.getIntAcquire(GuardedMmfData.STOP_OFFSET) != 0;
            } while (!stopped && System.nanoTime() - deadline < 0);
            System.out.println("[writer] stopped after " + n + " updates (" + (stopped ? "the reader is done"
                    : "time is up") + "); " + NamedMemory.remove(shm));
        }
        return Cli.EXIT_OK;
    }
}
