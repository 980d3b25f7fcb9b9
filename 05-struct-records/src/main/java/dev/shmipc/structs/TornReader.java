package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.structs.GuardedRecord.Copy;
import java.time.Duration;
import java.util.Set;

/**
 * The reading side of the torn-read story: copies the record that {@link TornWriter} churns many
 * times with plain reads, as the Delphi program would, then as many times under the sequence
 * lock, and counts the torn copies of each. Then it sets the stop flag, however it ends.
 */
public final class TornReader {
    static final String USAGE = "TornReader [--name NAME] [--copies N] [--timeout-ms MS]";

    private TornReader() {
    }

    public static void main(String[] args) {
        Cli.main("reader", USAGE, Set.of("name", "copies", "timeout-ms"), Set.of(), args, TornReader::run);
    }

    static int run(Cli.Args args) {
        args.positional(0);
        String name = args.option("name", Contract.GUARDED_NAME);
        int copies = args.intOption("copies", 1_000_000, 1, Integer.MAX_VALUE);
        Duration timeout = Duration.ofMillis(args.longOption("timeout-ms", 30_000, 1, 3_600_000));

        try (SharedMemory shm = NamedMemory.open(name, GuardedRecord.SIZE, Contract.Kind.GUARDED)) {
            Contract.requireTag(shm, Contract.Kind.GUARDED); // before the stop flag is written, however this ends
            try {
                DelphiRecord record = new DelphiRecord(shm.buffer(), GuardedRecord.RECORD_OFFSET);
                SeqLock lock = new SeqLock(shm, GuardedRecord.SEQUENCE_OFFSET);
                Cli.say("copying '" + name + "' " + copies + " times with plain reads, then " + copies
                        + " times under the sequence lock");

                long before = lock.sequence();
                long torn = 0;
                Copy example = null;
                for (int i = 0; i < copies; i++) {
                    Copy copy = GuardedRecord.copy(record);
                    if (!copy.consistent()) {
                        torn++;
                        example = example == null ? copy : example;
                    }
                }
                long updates = (lock.sequence() - before) / 2;
                Cli.say("plain reads: " + torn + " of " + copies + " copies torn, while the writer made " + updates
                        + " updates");
                if (example != null) {
                    Cli.say("for example: valwrd=" + example.valwrd() + " valint=" + example.valint() + " valdbl="
                            + example.valdbl() + ", fields of different updates");
                }

                before = lock.sequence();
                long inconsistent = 0;
                for (int i = 0; i < copies; i++) {
                    if (!lock.read(() -> GuardedRecord.copy(record), timeout).consistent()) {
                        inconsistent++;
                    }
                }
                updates = (lock.sequence() - before) / 2;
                Cli.say("sequence lock: " + inconsistent + " of " + copies + " copies torn, " + lock.retries()
                        + " attempts retried (the writer was mid-update), while the writer made " + updates
                        + " updates");
            } finally {
                shm.setIntRelease(GuardedRecord.STOP_OFFSET, 1); // let the writer go, however this ends
            }
        }
        return Cli.EXIT_OK;
    }
}
