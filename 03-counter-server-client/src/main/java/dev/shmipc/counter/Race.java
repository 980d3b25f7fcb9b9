package dev.shmipc.counter;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The race the article avoids: several processes add one to the same shared int, each
 * {@code --increments} times, once per way of incrementing ({@link Increment}). Prints what the
 * total should be, what it is, and how many updates were lost.
 *
 * <pre>
 * Race [--name race.shmem] [--processes 4] [--increments 1000000] [--mode all|plain|ordered|atomic]
 * Race [--name race.shmem] --remove-stale
 *
 *  race.shmem, 4096 bytes, ints in native byte order
 *  offset 0          4          8          12         16
 *         +----------+----------+----------+----------+--------------------------+
 *         | counter  | ready    | go       | (0)      | the race's stamp (Stamp) |
 *         +----------+----------+----------+----------+--------------------------+
 *           what the    workers    set to 1 by the race once every
 *           workers     that wait  worker waits, so that all of them
 *           increment   for go     count at the same time
 * </pre>
 *
 * Each worker is a separate JVM ({@link RaceWorker}). The start gate matters: a JVM takes far
 * longer to start than a million increments take, so without it the workers would run one after
 * another and nothing would race.
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
    static final String NAME = "race.shmem";
    static final int SIZE = 4096;
    static final int COUNTER_OFFSET = 0;
    static final int READY_OFFSET = 4;
    static final int GO_OFFSET = 8;
    /** How long the workers may take to start, and then to count. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Race() {
    }

    public static void main(String[] args) {
        Cli.main("race", USAGE, Set.of("name", "processes", "increments", "mode"), Set.of(Cli.REMOVE_STALE), args,
                Race::run);
    }

    @SuppressWarnings("try") // closed by hand, to keep the article's order: munmap, then shm_unlink
    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        String name = args.option("name", NAME);
        ObjectName.of(name); // a bad name is a bad argument, found before anything else
        if (args.removeStale()) {
            for (String option : List.of("processes", "increments", "mode")) {
                if (args.option(option, null) != null) {
                    throw new Cli.UsageException("--remove-stale removes and exits: it takes only --name");
                }
            }
            return Owned.RACE.removeStale(name);
        }
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
            say(processes + " processes x " + increments + " increments of one int in '" + name + "', "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            for (Increment increment : modes) {
                int actual = race(shm, increment, processes, increments);
                long lost = expected - actual;
                say(String.format(Locale.ROOT, "%-7s %-34s expected %d, actual %d, lost %d",
                        increment.option(), increment.how(), expected, actual, lost));
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

    /** One run: starts the workers, lets them go together, waits for all, returns the count. */
    private static int race(SharedMemory shm, Increment increment, int processes, int increments)
            throws InterruptedException {
        shm.setIntRelease(COUNTER_OFFSET, 0);
        shm.setIntRelease(READY_OFFSET, 0);
        shm.setIntRelease(GO_OFFSET, 0);
        List<JvmProcess> workers = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                workers.add(JvmProcess.start(RaceWorker.class, "--name", shm.name(), "--mode", increment.option(),
                        "--increments", Integer.toString(increments)));
            }
            awaitReady(shm, workers);
            shm.setIntRelease(GO_OFFSET, 1);
            for (JvmProcess worker : workers) {
                int exit = worker.waitFor(TIMEOUT);
                if (exit != 0) {
                    throw new Cli.Failure("a worker exited with " + exit + ": " + cause(worker));
                }
            }
        } catch (TimeoutException e) {
            throw new Cli.Failure("a worker did not finish within " + TIMEOUT + ": stopped them all");
        } finally {
            for (JvmProcess worker : workers) {
                worker.close();
            }
        }
        return shm.getIntAcquire(COUNTER_OFFSET);
    }

    private static void awaitReady(SharedMemory shm, List<JvmProcess> workers) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (shm.getIntAcquire(READY_OFFSET) < workers.size()) {
            for (JvmProcess worker : workers) {
                if (!worker.isAlive()) {
                    throw new Cli.Failure("a worker ended before the start: " + cause(worker));
                }
            }
            if (deadline - System.nanoTime() <= 0) {
                throw new Cli.Failure("the workers were not ready within " + TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** A worker's own error line, without its prefix. */
    private static String cause(JvmProcess worker) {
        return worker.stderr().stream().filter(line -> line.startsWith("[race-worker] error: ")).findFirst()
                .map(line -> line.substring("[race-worker] error: ".length()))
                .orElse(worker.stderr().isEmpty() ? "it printed no error" : worker.stderr().get(0));
    }

    private static void say(String line) {
        System.out.println("[race] " + line);
    }
}
