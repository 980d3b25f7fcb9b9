package dev.shmipc.counter;

import static dev.shmipc.counter.Contract.COUNTER_OFFSET;
import static dev.shmipc.counter.Contract.GO_OFFSET;
import static dev.shmipc.counter.Contract.READY_OFFSET;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.List;
import java.util.Set;

/**
 * The race the article avoids: several processes add one to the same shared int, each
 * {@code --increments} times, once per way of incrementing ({@link Increment}). Prints what the
 * total should be, what it is, and how many updates were lost.
 *
 * <pre>
 * Race [--name race.shmem] [--processes 4] [--increments 1000000] [--mode all|plain|ordered|atomic]
 * Race [--name race.shmem] --remove-stale
 * </pre>
 *
 * Each worker is a separate JVM ({@link RaceWorker}); the object's layout, with its start gate,
 * is in {@link Contract#COUNTER_OFFSET}. The start gate matters: a JVM takes far longer to start
 * than a million increments take, so without it the workers would run one after another and
 * nothing would race.
 *
 * <p>A race killed with SIGKILL (or a crash) runs no clean-up: its workers notice at once and
 * exit ({@link RaceWorker}), but nobody removes {@code race.shmem}. {@code --remove-stale} does,
 * and exits, as the server's option of that name does: only if the object carries a race's stamp
 * and that race no longer runs.
 */
public final class Race {
    static final String USAGE = "Race [--name race.shmem] [--processes 4] [--increments 1000000]"
            + " [--mode all|plain|ordered|atomic]\n"
            + "       Race [--name race.shmem] --remove-stale   (remove what a killed race left, and exit)";

    private Race() {
    }

    public static void main(String[] args) {
        Cli.main("race", USAGE, Set.of("name", "processes", "increments", "mode"), Set.of(Cli.REMOVE_STALE), args,
                Race::run);
    }

    @SuppressWarnings("try") // closed by hand, to keep the article's order: munmap, then shm_unlink
    static int run(Cli.Args args) throws InterruptedException {
        if (args.removeStale()) {
            return Owned.RACE.removeStale(Settings.nameOnly(args, Contract.RACE_NAME, "processes", "increments",
                    "mode"));
        }
        String name = Settings.name(args, Contract.RACE_NAME);
        int processes = args.intOption("processes", 4, 1, 64);
        int increments = args.intOption("increments", 1_000_000, 1, Integer.MAX_VALUE);
        String mode = args.option("mode", "all");
        List<Increment> modes = mode.equals("all") ? List.of(Increment.values()) : List.of(Increment.of(mode, true));
        long expected = (long) processes * increments;
        if (expected > Integer.MAX_VALUE) {
            throw new Cli.UsageException(processes + " x " + increments + " does not fit the shared int");
        }
        boolean exact = true;
        try (SharedMemory shm = Owned.RACE.create(name)) {
            Cli.say(processes + " processes x " + increments + " increments of one int in '" + name + "', "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            for (Increment increment : modes) {
                int actual = race(shm, increment, processes, increments);
                long lost = expected - actual;
                Cli.say("%-7s %-34s expected %d, actual %d, lost %d", increment.option(), increment.how(), expected,
                        actual, lost);
                if (increment == Increment.ATOMIC && lost != 0) {
                    exact = false;
                }
            }
            shm.close();
            shm.unlink();
        }
        if (!exact) {
            throw new Cli.Failure("the atomic count is wrong: getAndAdd lost updates, which it must never do");
        }
        return Cli.EXIT_OK;
    }

    /** One run: starts the workers, lets them go together once all wait, waits for all, returns the count. */
    private static int race(SharedMemory shm, Increment increment, int processes, int increments)
            throws InterruptedException {
        shm.setIntRelease(COUNTER_OFFSET, 0);
        shm.setIntRelease(READY_OFFSET, 0);
        shm.setIntRelease(GO_OFFSET, 0);
        try (Workers workers = Workers.start(shm.name(), increment, processes, increments)) {
            workers.awaitReady(shm);
            shm.setIntRelease(GO_OFFSET, 1);
            workers.awaitAll();
        }
        return shm.getIntAcquire(COUNTER_OFFSET);
    }
}
