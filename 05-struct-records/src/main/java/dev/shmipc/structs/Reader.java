package dev.shmipc.structs;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.structs.GuardedMmfData.Copy;
import dev.shmipc.structs.MarketData.Tick;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The reading side.
 *
 * <p>{@code show} prints the Delphi record three ways: through the flyweight, through the JNA
 * {@code Structure}, and through a big-endian {@code ByteBuffer}, the byte-order bug, which the
 * article's {@code SwapDouble} undoes. {@code ticks} prints the market-data table as the writer
 * updates it (article 003's reader printing {@code LastPrice}). {@code check} copies the churned
 * record many times without and then with the sequence lock and counts the torn copies.
 */
public final class Reader {
    static final String ROLE = "reader";
    static final String USAGE = "Reader show [--name NAME]"
            + "  ||  Reader ticks [--name NAME] [--index I] [--timeout-ms MS]"
            + "  ||  Reader check [--name NAME] [--copies N] [--timeout-ms MS]";
    static final Set<String> OPTIONS = Set.of("name", "index", "timeout-ms", "copies");

    private Reader() {
    }

    public static void main(String[] args) {
        Cli.main(ROLE, USAGE, OPTIONS, Set.of(), args, Reader::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        List<String> words = args.positional(1);
        if (words.isEmpty()) {
            throw new Cli.UsageException("an action is required");
        }
        String action = words.get(0);
        Duration timeout = Duration.ofMillis(args.longOption("timeout-ms", 30_000, 1, 3_600_000));
        switch (action) {
            case "show":
                Actions.allow(args, action, OPTIONS, "name");
                return show(args.option("name", MmfData.DEFAULT_NAME));
            case "ticks":
                Actions.allow(args, action, OPTIONS, "name", "index", "timeout-ms");
                return ticks(args.option("name", TickTable.DEFAULT_NAME),
                        args.intOption("index", -1, 0, Integer.MAX_VALUE), timeout);
            case "check":
                Actions.allow(args, action, OPTIONS, "name", "copies", "timeout-ms");
                return check(args.option("name", GuardedMmfData.DEFAULT_NAME),
                        args.intOption("copies", 1_000_000, 1, Integer.MAX_VALUE), timeout);
            default:
                throw new Cli.UsageException("unknown action '" + action + "'");
        }
    }

    /** The record three ways, and the byte-order bug undone. */
    private static int show(String name) {
        try (SharedMemory shm = NamedMemory.open(name, MmfData.SIZE, "Writer create", MmfData.DEFAULT_NAME)) {
            System.out.println("[reader] opened '" + name + "', " + shm.size() + " bytes");

            MmfData flyweight = MmfData.at(shm);
            System.out.println("[reader] flyweight (zero copy):       " + flyweight);

            MmfData.Struct struct = MmfData.Struct.at(shm, 0);
            struct.read(); // copies the 14 bytes into the Java fields
            System.out.println("[reader] JNA Structure (a copy):      valwrd=" + Short.toUnsignedInt(struct.valwrd)
                    + " valint=" + struct.valint + " valdbl=" + struct.valdbl);

            // The bug: duplicate() (like slice() and asReadOnlyBuffer()) returns a big-endian
            // buffer whatever the original's order, as ByteBuffer.allocate and wrap start out;
            // shared memory holds native order, and nothing here calls order(nativeOrder()) again.
            ByteBuffer wrong = shm.buffer().duplicate();
            double wrongDouble = wrong.getDouble(MmfData.VALDBL_OFFSET);
            System.out.println("[reader] big-endian ByteBuffer (bug): valwrd="
                    + Short.toUnsignedInt(wrong.getShort(MmfData.VALWRD_OFFSET))
                    + " valint=" + wrong.getInt(MmfData.VALINT_OFFSET) + " valdbl=" + wrongDouble);
            System.out.println("[reader] SwapDouble(" + wrongDouble + ") = " + MmfData.swapDouble(wrongDouble)
                    + ": the same 8 bytes, reversed");
        }
        return Cli.EXIT_OK;
    }

    /**
     * Prints each record of the table whenever it changes, until the writer is done. The timeout
     * is for inactivity: it fails only when neither a sequence word nor the state has changed
     * for that long, so a long run that keeps publishing is never cut short.
     */
    private static int ticks(String name, int index, Duration timeout) throws InterruptedException {
        try (SharedMemory shm = NamedMemory.open(name, TickTable.size(1), "Writer ticks", TickTable.DEFAULT_NAME)) {
            // The writer tags the table first thing; the reader writes into it (the count of
            // readers) only if it is one.
            WriterTag.require(shm, WriterTag.Kind.TABLE);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (shm.getIntAcquire(TickTable.STATE_OFFSET) == TickTable.PREPARING) {
                if (System.nanoTime() - deadline > 0) {
                    throw new Cli.Failure("'" + name + "' is still being prepared after " + timeout.toMillis()
                            + " ms; is it a market-data table?");
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            int records = TickTable.records(shm);
            if (index >= records) {
                throw new Cli.Failure("record index " + index + " is out of range: '" + name + "' holds " + records
                        + " records, 0 to " + (records - 1));
            }
            int first = index < 0 ? 0 : index;
            int last = index < 0 ? records - 1 : index;

            SeqLock[] locks = new SeqLock[records];
            MarketData[] slots = new MarketData[records];
            for (int i = first; i <= last; i++) {
                locks[i] = new SeqLock(shm, TickTable.slotOffset(i) + TickTable.SEQUENCE_OFFSET);
                slots[i] = new MarketData(shm.buffer(), TickTable.slotOffset(i) + TickTable.RECORD_OFFSET);
            }
            System.out.println("[reader] opened '" + name + "': " + records + " records of " + MarketData.SIZE
                    + " bytes" + (index < 0 ? "" : ", printing record " + index));

            Tick[] printed = new Tick[records];
            int updates = 0;
            long retries = 0;
            boolean attached = false;
            Progress progress = new Progress(shm, records, timeout);
            while (true) {
                boolean done = shm.getIntAcquire(TickTable.STATE_OFFSET) == TickTable.DONE; // then one last pass
                for (int i = first; i <= last; i++) {
                    MarketData slot = slots[i];
                    Tick tick = locks[i].read(slot::get, timeout);
                    if (!tick.equals(printed[i])) {
                        printed[i] = tick;
                        updates++;
                        System.out.println("[reader] record " + i + ": " + tick.format());
                    }
                }
                if (done) {
                    break;
                }
                if (!attached) { // after the first pass, so that the initial records are printed
                    shm.getAndAddInt(TickTable.READERS_OFFSET, 1);
                    attached = true;
                }
                if (!progress.made()) {
                    throw new Cli.Failure("the writer of '" + name + "' has changed nothing for " + timeout.toMillis()
                            + " ms; did it die?");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            for (int i = first; i <= last; i++) {
                retries += locks[i].retries();
            }
            System.out.println("[reader] the writer is done; updates printed: " + updates
                    + ", attempts retried under the sequence lock: " + retries);
        }
        return Cli.EXIT_OK;
    }

    /**
     * Watches the table's state and every slot's sequence word (all slots, also with
     * {@code --index}: the writer may be busy with other records): any change pushes the deadline
     * forward by the timeout.
     */
    private static final class Progress {
        private final SharedMemory shm;
        private final long[] sequences;
        private final long timeoutNanos;
        private int state;
        private long deadline;

        Progress(SharedMemory shm, int records, Duration timeout) {
            this.shm = shm;
            this.sequences = new long[records];
            this.timeoutNanos = timeout.toNanos();
            changed();
            this.deadline = System.nanoTime() + timeoutNanos;
        }

        /** False once nothing has changed for the timeout. */
        boolean made() {
            long now = System.nanoTime();
            if (changed()) {
                deadline = now + timeoutNanos;
            }
            return now - deadline <= 0;
        }

        /** Reads the words and reports whether any differs from the last look. */
        private boolean changed() {
            boolean changed = false;
            int now = shm.getIntAcquire(TickTable.STATE_OFFSET);
            if (now != state) {
                state = now;
                changed = true;
            }
            for (int i = 0; i < sequences.length; i++) {
                long sequence = shm.getLongAcquire(TickTable.slotOffset(i) + TickTable.SEQUENCE_OFFSET);
                if (sequence != sequences[i]) {
                    sequences[i] = sequence;
                    changed = true;
                }
            }
            return changed;
        }
    }

    /** Copies the churned record, first with plain reads, then under the sequence lock. */
    private static int check(String name, int copies, Duration timeout) {
        try (SharedMemory shm =
                NamedMemory.open(name, GuardedMmfData.SIZE, "Writer churn", GuardedMmfData.DEFAULT_NAME)) {
            WriterTag.require(shm, WriterTag.Kind.GUARDED); // before the stop flag is written, however this ends
            try {
                MmfData record = new MmfData(shm.buffer(), GuardedMmfData.RECORD_OFFSET);
                SeqLock lock = new SeqLock(shm, GuardedMmfData.SEQUENCE_OFFSET);
                System.out.println("[reader] copying '" + name + "' " + copies + " times with plain reads,"
                        + " then " + copies + " times under the sequence lock");

                long before = lock.sequence();
                long torn = 0;
                Copy example = null;
                for (int i = 0; i < copies; i++) {
                    Copy copy = GuardedMmfData.copy(record);
                    if (!copy.consistent()) {
                        torn++;
                        example = example == null ? copy : example;
                    }
                }
                long updates = (lock.sequence() - before) / 2;
                System.out.println("[reader] plain reads: " + torn + " of " + copies + " copies torn, while the writer"
                        + " made " + updates + " updates");
                if (example != null) {
                    System.out.println("[reader] for example: valwrd=" + example.valwrd() + " valint="
                            + example.valint() + " valdbl=" + example.valdbl() + ", fields of different updates");
                }

                before = lock.sequence();
                long inconsistent = 0;
                for (int i = 0; i < copies; i++) {
                    if (!lock.read(() -> GuardedMmfData.copy(record), timeout).consistent()) {
                        inconsistent++;
                    }
                }
                updates = (lock.sequence() - before) / 2;
                System.out.println("[reader] sequence lock: " + inconsistent + " of " + copies + " copies torn, "
                        + lock.retries() + " attempts retried (the writer was mid-update), while the writer made "
                        + updates + " updates");
            } finally {
                shm.setIntRelease(GuardedMmfData.STOP_OFFSET, 1); // let the writer go, however this ends
            }
        }
        return Cli.EXIT_OK;
    }
}
