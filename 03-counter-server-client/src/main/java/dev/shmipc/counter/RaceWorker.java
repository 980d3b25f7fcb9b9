package dev.shmipc.counter;

import static dev.shmipc.counter.Race.COUNTER_OFFSET;
import static dev.shmipc.counter.Race.GO_OFFSET;
import static dev.shmipc.counter.Race.READY_OFFSET;

import dev.shmipc.common.Cli;
import dev.shmipc.common.SharedMemory;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One racer, started by {@link Race}: opens the race's object, says it is ready, waits for the
 * start, adds one to the counter {@code --increments} times, and exits. It prints nothing unless
 * something fails.
 *
 * <pre>
 * RaceWorker --name race.shmem --mode plain|ordered|atomic --increments N
 * </pre>
 */
public final class RaceWorker {
    static final String USAGE = "RaceWorker --name race.shmem --mode plain|ordered|atomic --increments N";

    private RaceWorker() {
    }

    public static void main(String[] args) {
        Cli.main("race-worker", USAGE, Set.of("name", "mode", "increments"), Set.of(), args, RaceWorker::run);
    }

    static int run(Cli.Args args) {
        args.positional(0);
        String name = args.option("name", Race.NAME);
        Increment increment = Increment.of(args.option("mode", "atomic"));
        int increments = args.intOption("increments", 1_000_000, 1, Integer.MAX_VALUE);

        try (SharedMemory shm = SharedMemory.open(name, Race.SIZE)) {
            shm.getAndAddInt(READY_OFFSET, 1);
            long deadline = System.nanoTime() + Race.TIMEOUT.toNanos();
            while (shm.getIntAcquire(GO_OFFSET) == 0) {
                if (deadline - System.nanoTime() <= 0) {
                    throw new Cli.Failure("no start signal within " + Race.TIMEOUT);
                }
                // A tenth of a millisecond: the workers start close together without spinning a CPU.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            increment.repeat(shm, COUNTER_OFFSET, increments);
        }
        return Cli.EXIT_OK;
    }
}
