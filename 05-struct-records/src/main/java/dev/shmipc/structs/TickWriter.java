package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.structs.MarketData.Tick;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The market-data writer of article 003: creates a {@link TickTable}, waits for a reader, and
 * publishes quotes into it, each record under its sequence lock where the article
 * {@code memcpy}s a whole {@code CThostFtdcDepthMarketDataField} into the view.
 *
 * <p>{@code --remove-stale} removes what a killed writer left under the name ({@link Leftover}).
 */
public final class TickWriter {
    static final String USAGE = "TickWriter [--name NAME] [--records N] [--ticks N] [--interval-ms MS]"
            + " [--wait-reader-ms MS]  ||  TickWriter --remove-stale [--name NAME]";
    static final Set<String> OPTIONS = Set.of("name", "records", "ticks", "interval-ms", "wait-reader-ms");

    private TickWriter() {
    }

    public static void main(String[] args) {
        Cli.main("writer", USAGE, OPTIONS, Set.of(Cli.REMOVE_STALE), args, TickWriter::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        if (args.removeStale()) {
            return Leftover.removeStale(args, OPTIONS, Contract.TABLE_NAME);
        }
        args.positional(0);
        String name = args.option("name", Contract.TABLE_NAME);
        int records = args.intOption("records", 4, 1, TickTable.MAX_RECORDS);
        int ticks = args.intOption("ticks", 12, 0, 1_000_000);
        long intervalMillis = args.longOption("interval-ms", 100, 0, 60_000);
        long waitReaderMillis = args.longOption("wait-reader-ms", 30_000, 0, 3_600_000);

        try (SharedMemory shm = NamedMemory.create(name, TickTable.size(records), Contract.Kind.TABLE)) {
            SeqLock[] locks = new SeqLock[records];
            MarketData[] slots = new MarketData[records];
            for (int i = 0; i < records; i++) {
                locks[i] = new SeqLock(shm, TickTable.slotOffset(i) + TickTable.SEQUENCE_OFFSET);
                slots[i] = new MarketData(shm.buffer(), TickTable.slotOffset(i) + TickTable.RECORD_OFFSET);
                slots[i].set(Ticks.tick(i, 0));
            }
            shm.setIntRelease(TickTable.RECORDS_OFFSET, records);
            shm.setIntRelease(TickTable.STATE_OFFSET, TickTable.PUBLISHING); // after the slots: release
            Cli.say("created '" + name + "': " + records + " records of " + MarketData.SIZE + " bytes, " + shm.size()
                    + " bytes in all");

            Cli.say("waiting up to " + waitReaderMillis + " ms for a reader");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitReaderMillis);
            while (shm.getIntAcquire(TickTable.READERS_OFFSET) == 0 && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            Cli.say(shm.getIntAcquire(TickTable.READERS_OFFSET) > 0 ? "a reader is attached"
                    : "no reader attached; publishing anyway");

            for (int k = 0; k < ticks; k++) {
                int slot = k % records;
                Tick tick = Ticks.tick(slot, 1 + k / records);
                locks[slot].write(() -> slots[slot].set(tick)); // the article's memcpy
                Cli.say("tick " + (k + 1) + " -> record " + slot + ": " + tick.format());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMillis));
            }
            shm.setIntRelease(TickTable.STATE_OFFSET, TickTable.DONE);
            Cli.say("published " + ticks + " ticks; " + NamedMemory.remove(shm));
        }
        return Cli.EXIT_OK;
    }
}
