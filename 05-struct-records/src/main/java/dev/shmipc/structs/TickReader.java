package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.structs.MarketData.Tick;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The market-data reader of article 003, which prints {@code LastPrice}: prints each record of
 * the {@link TickTable} whenever it changes, until the writer is done, copying every record under
 * its sequence lock so that it never prints a half-written one.
 *
 * <p>{@code --timeout-ms} is for inactivity: it fails only when neither a sequence word nor the
 * state has changed for that long ({@link TickTable.Progress}), so a long run that keeps
 * publishing is never cut short.
 */
public final class TickReader {
    static final String USAGE = "TickReader [--name NAME] [--index I] [--timeout-ms MS]";

    private TickReader() {
    }

    public static void main(String[] args) {
        Cli.main("reader", USAGE, Set.of("name", "index", "timeout-ms"), Set.of(), args, TickReader::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        String name = args.option("name", Contract.TABLE_NAME);
        int index = args.intOption("index", -1, 0, Integer.MAX_VALUE);
        Duration timeout = Duration.ofMillis(args.longOption("timeout-ms", 30_000, 1, 3_600_000));

        try (SharedMemory shm = NamedMemory.open(name, TickTable.size(1), Contract.Kind.TABLE)) {
            // The writer tags the table first thing; the reader writes into it (the count of
            // readers) only if it is one.
            Contract.requireTag(shm, Contract.Kind.TABLE);
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
            Cli.say("opened '" + name + "': " + records + " records of " + MarketData.SIZE + " bytes"
                    + (index < 0 ? "" : ", printing record " + index));

            Tick[] printed = new Tick[records];
            int updates = 0;
            boolean attached = false;
            TickTable.Progress progress = new TickTable.Progress(shm, records, timeout);
            while (true) {
                boolean done = shm.getIntAcquire(TickTable.STATE_OFFSET) == TickTable.DONE; // then one last pass
                for (int i = first; i <= last; i++) {
                    Tick tick = locks[i].read(slots[i]::get, timeout); // the article's cast of the view pointer
                    if (!tick.equals(printed[i])) {
                        printed[i] = tick;
                        updates++;
                        Cli.say("record " + i + ": " + tick.format());
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
            long retries = 0;
            for (int i = first; i <= last; i++) {
                retries += locks[i].retries();
            }
            Cli.say("the writer is done; updates printed: " + updates
                    + ", attempts retried under the sequence lock: " + retries);
        }
        return Cli.EXIT_OK;
    }
}
