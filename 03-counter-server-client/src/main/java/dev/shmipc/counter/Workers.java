package dev.shmipc.counter;

import static dev.shmipc.counter.Contract.RACE_TIMEOUT;
import static dev.shmipc.counter.Contract.READY_OFFSET;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker JVMs of one run of the race ({@link RaceWorker}): started together, waited for at
 * the start gate and at the end, each within {@link Contract#RACE_TIMEOUT}. Closing stops any
 * that still runs.
 */
final class Workers implements AutoCloseable {
    static final String ROLE = "race-worker";

    private final List<JvmProcess> processes = new ArrayList<>();

    /** Starts {@code count} workers on the race's object {@code name}, each to add one {@code increments} times. */
    static Workers start(String name, Increment increment, int count, int increments) {
        Workers workers = new Workers();
        try {
            for (int i = 0; i < count; i++) {
                workers.processes.add(JvmProcess.start(RaceWorker.class, "--name", name, "--mode", increment.option(),
                        "--increments", Integer.toString(increments)));
            }
            return workers;
        } catch (RuntimeException e) {
            workers.close();
            throw e;
        }
    }

    /** Waits until every worker has said, in {@code shm}, that it waits for the start. */
    void awaitReady(SharedMemory shm) throws InterruptedException {
        long deadline = System.nanoTime() + RACE_TIMEOUT.toNanos();
        while (shm.getIntAcquire(READY_OFFSET) < processes.size()) {
            for (JvmProcess worker : processes) {
                if (!worker.isAlive()) {
                    throw new Cli.Failure("a worker ended before the start: " + Child.cause(worker, ROLE));
                }
            }
            if (deadline - System.nanoTime() <= 0) {
                throw new Cli.Failure("the workers were not ready within " + RACE_TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Waits for every worker to finish counting; fails with the first one's error if any failed. */
    void awaitAll() throws InterruptedException {
        try {
            for (JvmProcess worker : processes) {
                int exit = worker.waitFor(RACE_TIMEOUT);
                if (exit != 0) {
                    throw new Cli.Failure("a worker exited with " + exit + ": " + Child.cause(worker, ROLE));
                }
            }
        } catch (TimeoutException e) {
            throw new Cli.Failure("a worker did not finish within " + RACE_TIMEOUT + ": stopped them all");
        }
    }

    /** Stops every worker that still runs. */
    @Override
    public void close() {
        processes.forEach(JvmProcess::close);
    }
}
