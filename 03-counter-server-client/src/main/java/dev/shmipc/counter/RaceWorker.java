package dev.shmipc.counter;

import static dev.shmipc.counter.Contract.COUNTER_OFFSET;
import static dev.shmipc.counter.Contract.GO_OFFSET;
import static dev.shmipc.counter.Contract.RACE_TIMEOUT;
import static dev.shmipc.counter.Contract.READY_OFFSET;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.SharedMemory;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
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
 *
 * <p>Its standard input is a pipe from the race, which never writes to it. When the race ends,
 * however it ends (SIGKILL included: the kernel closes its end of the pipe), the worker reads the
 * end of that input and exits at once, wherever it is: waiting for the start or counting. A
 * worker run by hand stops likewise at the end of its input (Ctrl-D in a terminal).
 */
public final class RaceWorker {
    static final String USAGE = "RaceWorker --name race.shmem --mode plain|ordered|atomic --increments N";
    /** The exit code of a worker whose race ended before it did. */
    static final int EXIT_ORPHANED = Cli.EXIT_FAILURE;

    private RaceWorker() {
    }

    public static void main(String[] args) {
        Cli.main(Workers.ROLE, USAGE, Set.of("name", "mode", "increments"), Set.of(), args, RaceWorker::run);
    }

    static int run(Cli.Args args) {
        String name = Settings.name(args, Contract.RACE_NAME);
        Increment increment = Increment.of(args.option("mode", "atomic"), false);
        int increments = args.intOption("increments", 1_000_000, 1, Integer.MAX_VALUE);
        exitWhenInputEnds(System.in);

        try (SharedMemory shm = SharedMemory.open(name, Contract.SIZE)) {
            Optional<Stamp> race = Owned.RACE.stampIn(shm);
            if (race.isEmpty() || !race.get().isRunning()) {
                throw new Cli.Failure(shm.nativeName() + (race.isEmpty() ? " carries no race's stamp"
                        : " was left by a race (pid " + race.get().pid() + ") that is no longer running")
                        + ": the worker wrote nothing to it");
            }
            shm.getAndAddInt(READY_OFFSET, 1);
            long deadline = System.nanoTime() + RACE_TIMEOUT.toNanos();
            while (shm.getIntAcquire(GO_OFFSET) == 0) {
                if (deadline - System.nanoTime() <= 0) {
                    throw new Cli.Failure("no start signal within " + RACE_TIMEOUT);
                }
                // A tenth of a millisecond: the workers start close together without spinning a CPU.
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            increment.repeat(shm, COUNTER_OFFSET, increments);
        }
        return Cli.EXIT_OK;
    }

    /**
     * Reads {@code input} on a daemon thread and ends the JVM when it ends: the race that started
     * this worker is gone. {@code halt}, not {@code exit}: the main thread may be inside a loop
     * over the mapping, and nothing here needs a shutdown hook (the worker removes nothing).
     */
    private static void exitWhenInputEnds(InputStream input) {
        Thread watcher = new Thread(() -> {
            try {
                while (input.read() >= 0) {
                    // The race writes nothing; whatever comes is ignored.
                }
            } catch (IOException e) {
                // Unreadable: as good as closed.
            }
            System.err.println("[race-worker] error: the race that started this worker ended (its pipe closed):"
                    + " stopping");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_ORPHANED);
        }, "race watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
