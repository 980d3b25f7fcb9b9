package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.Processes;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Worker JVMs racing on one shared int: the atomic count is exact, the others report honestly. */
class RaceIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern RESULT = Pattern.compile(
            "\\[race] (plain|ordered|atomic) .* expected (\\d+), actual (\\d+), lost (-?\\d+)");

    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("race");

    @AfterEach
    void nothingIsLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void atomicCountIsExactAndTheOthersNeverGain() throws Exception {
        int processes = 3;
        int increments = 300_000;
        try (JvmProcess race = JvmProcess.start(Race.class, "--name", name,
                "--processes", Integer.toString(processes), "--increments", Integer.toString(increments))) {
            assertEquals(0, race.waitFor(TIMEOUT), race.stdout() + " " + race.stderr());
            Map<String, long[]> results = new HashMap<>();
            for (String line : race.stdout()) {
                System.out.println(line); // what this machine did, kept in the test report
                Matcher m = RESULT.matcher(line);
                if (m.matches()) {
                    results.put(m.group(1), new long[] {
                            Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))});
                }
            }
            assertEquals(Set.of("plain", "ordered", "atomic"), results.keySet(), race.stdout().toString());
            long expected = (long) processes * increments;
            assertEquals(expected, results.get("atomic")[0]);
            assertEquals(expected, results.get("atomic")[1], "getAndAdd loses nothing");
            assertEquals(0, results.get("atomic")[2]);
            for (String racy : List.of("plain", "ordered")) {
                long[] r = results.get(racy);
                assertEquals(expected, r[0]);
                // A lost update can only lower the count: each write is one above a value read.
                assertTrue(r[1] >= 1 && r[1] <= expected, racy + " actual " + r[1]);
                assertEquals(expected - r[1], r[2], racy + ": lost = expected - actual");
            }
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aKilledRaceStopsItsWorkersAndLeavesAnObjectThatRemoveStaleRemoves() throws Exception {
        int processes = 2;
        List<ProcessHandle> workers = new ArrayList<>();
        long racePid;
        try {
            // Long enough that the workers would count for many seconds after the race died.
            try (JvmProcess race = JvmProcess.start(Race.class, "--name", name, "--processes",
                    Integer.toString(processes), "--increments", "1000000000", "--mode", "atomic")) {
                race.awaitLine(line -> line.startsWith("[race] 2 processes x "), TIMEOUT);
                racePid = race.toHandle().pid();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!goGiven(name)) { // every worker is ready, and counts
                    assertTrue(System.nanoTime() < deadline, "the workers never started: " + race.stderr());
                    Thread.sleep(20);
                }
                ProcessHandle.of(racePid).orElseThrow().children().forEach(workers::add);
                assertEquals(processes, workers.size(), "the race's worker JVMs: " + workers);
                race.kill(); // SIGKILL: the race runs no code of its own
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (workers.stream().anyMatch(w -> Processes.isAlive(w.pid())) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            for (ProcessHandle worker : workers) {
                assertFalse(Processes.isAlive(worker.pid()), "worker " + worker.pid() + " outlived its race by 10 s");
            }
        } finally {
            workers.forEach(ProcessHandle::destroyForcibly);
        }

        // Nothing ran to remove the race's object: it stays, and says whose it was.
        String leftBy = "left by a race (pid " + racePid + ") that is no longer running";
        try (JvmProcess blocked = JvmProcess.start(Race.class, "--name", name, "--processes", "1",
                "--increments", "1", "--mode", "atomic")) {
            assertEquals(1, blocked.waitFor(TIMEOUT));
            assertEquals(List.of(), blocked.stdout());
            String error = Transcript.onlyLine(blocked.stderr());
            assertTrue(error.startsWith("[race] error: shm_open '" + name + "' failed: "), error);
            assertTrue(error.contains("It was " + leftBy), error);
            assertTrue(error.endsWith("run the race with --remove-stale, then start it again."), error);
        }
        try (JvmProcess remover = JvmProcess.start(Race.class, "--name", name, "--remove-stale")) {
            assertEquals(0, remover.waitFor(TIMEOUT), remover.stderr().toString());
            assertEquals(List.of("[race] removed /" + name + ", " + leftBy), remover.stdout());
        }
    }

    /** True once the race has let its workers go; it only reads the race's object. */
    private static boolean goGiven(String name) {
        try (SharedMemory shm = SharedMemory.open(name, Contract.SIZE)) {
            return shm.getIntAcquire(Contract.GO_OFFSET) != 0;
        } catch (IpcException notYet) {
            return false;
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleAndTheWorkerLeaveAnObjectThatIsNotARaces() throws Exception {
        try (SharedMemory unstamped = SharedMemory.create(name, Contract.SIZE).unlinkOnExit()) {
            try (JvmProcess remover = JvmProcess.start(Race.class, "--name", name, "--remove-stale")) {
                assertEquals(1, remover.waitFor(TIMEOUT), remover.stderr().toString());
                assertEquals(List.of("[race] /" + name + ": not this module's: it carries no race's stamp: left it"),
                        remover.stdout());
            }
            try (JvmProcess worker = JvmProcess.start(RaceWorker.class, "--name", name, "--mode", "atomic")) {
                assertEquals(1, worker.waitFor(TIMEOUT));
                assertEquals(List.of("[race-worker] error: /" + name + " carries no race's stamp: the worker wrote"
                        + " nothing to it"), worker.stderr());
            }
            assertEquals(0, unstamped.getIntAcquire(Contract.READY_OFFSET), "nobody wrote to it");
            assertTrue(unstamped.unlink(), "it was left");
        }
    }

    @Test
    void aWorkerWithoutARaceFails() throws Exception {
        // The call that finds no object is the OS's own.
        String call = OS.WINDOWS.isCurrentOs() ? "OpenFileMapping" : "shm_open";
        try (JvmProcess worker = JvmProcess.start(RaceWorker.class, "--name", name, "--mode", "atomic")) {
            assertEquals(1, worker.waitFor(TIMEOUT));
            String error = Transcript.onlyLine(worker.stderr());
            assertTrue(error.startsWith("[race-worker] error: " + call + " '" + name + "' failed"), error);
        }
    }

    @Test
    void aCountTooLargeForTheIntIsRefused() throws Exception {
        try (JvmProcess race = JvmProcess.start(Race.class, "--name", name,
                "--processes", "64", "--increments", "100000000")) {
            assertEquals(2, race.waitFor(TIMEOUT));
            String error = Transcript.onlyLine(race.stderr());
            assertTrue(error.contains("does not fit the shared int"), error);
        }
    }
}
