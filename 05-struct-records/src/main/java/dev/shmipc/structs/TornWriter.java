package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The writing side of the torn-read story (not in the articles): rewrites the Delphi record of a
 * {@link GuardedRecord} as fast as it can, each update under the sequence lock, until the reader
 * sets the stop flag or the time is up. Without the lock a reader's copy can mix two updates.
 *
 * <p>{@code --remove-stale} removes what a killed writer left under the name ({@link Leftover}).
 */
public final class TornWriter {
    static final String USAGE = "TornWriter [--name NAME] [--seconds S]  ||  TornWriter --remove-stale [--name NAME]";
    static final Set<String> OPTIONS = Set.of("name", "seconds");

    private TornWriter() {
    }

    public static void main(String[] args) {
        Cli.main("writer", USAGE, OPTIONS, Set.of(Cli.REMOVE_STALE), args, TornWriter::run);
    }

    static int run(Cli.Args args) {
        if (args.removeStale()) {
            return Leftover.removeStale(args, OPTIONS, Contract.GUARDED_NAME);
        }
        args.positional(0);
        String name = args.option("name", Contract.GUARDED_NAME);
        int seconds = args.intOption("seconds", 60, 1, 3600);

        try (SharedMemory shm = NamedMemory.create(name, GuardedRecord.SIZE, Contract.Kind.GUARDED)) {
            SeqLock lock = new SeqLock(shm, GuardedRecord.SEQUENCE_OFFSET);
            DelphiRecord record = new DelphiRecord(shm.buffer(), GuardedRecord.RECORD_OFFSET);
            Cli.say("churning '" + name + "' for up to " + seconds + " s: update n writes valwrd = n mod 65536,"
                    + " valint = n, valdbl = n, under a sequence lock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long n = 0;
            boolean stopped;
            do {
                for (int i = 0; i < 1024; i++) { // check the flag and the clock now and then, not per update
                    int update = (int) ++n; // wraps after 2^31: the fields still agree
                    lock.write(() -> GuardedRecord.put(record, update));
                }
                stopped = shm.getIntAcquire(GuardedRecord.STOP_OFFSET) != 0;
            } while (!stopped && System.nanoTime() - deadline < 0);
            Cli.say("stopped after " + n + " updates (" + (stopped ? "the reader is done" : "time is up") + "); "
                    + NamedMemory.remove(shm));
        }
        return Cli.EXIT_OK;
    }
}
