package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.JvmProcess;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import java.time.Duration;
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

    private final String name = TestNames.unique("race");

    @AfterEach
    void nothingIsLeftBehind() {
        TestNames.assertNoSharedMemory(name);
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
    void aStaleObjectIsExplainedAndCanBeRemoved() throws Exception {
        // What a race killed with SIGKILL leaves: the name, and nobody holding it.
        SharedMemory.create(name, Race.SIZE).close();
        try {
            try (JvmProcess blocked = JvmProcess.start(Race.class, "--name", name, "--processes", "1",
                    "--increments", "1", "--mode", "atomic")) {
                assertEquals(1, blocked.waitFor(TIMEOUT));
                assertEquals(1, blocked.stderr().size(), blocked.stderr().toString());
                String error = blocked.stderr().get(0);
                assertTrue(error.startsWith("[race] error: shm_open '" + name + "' failed: "), error);
                assertTrue(error.contains("left /" + name + " behind"), error);
                assertTrue(error.endsWith("run the race with --remove-stale."), error);
            }
            try (JvmProcess fresh = JvmProcess.start(Race.class, "--name", name, "--processes", "1",
                    "--increments", "1", "--mode", "atomic", "--remove-stale")) {
                assertEquals(0, fresh.waitFor(TIMEOUT), fresh.stderr().toString());
                assertEquals("[race] removed stale /" + name, fresh.stdout().get(0), fresh.stdout().toString());
                assertTrue(fresh.stdout().stream().anyMatch(l -> l.matches(
                        "\\[race] atomic .* expected 1, actual 1, lost 0")), fresh.stdout().toString());
            }
        } finally {
            SharedMemory.unlink(name); // whatever happened above, leave nothing for the next test
        }
    }

    @Test
    void aWorkerWithoutARaceFails() throws Exception {
        try (JvmProcess worker = JvmProcess.start(RaceWorker.class, "--name", name, "--mode", "atomic")) {
            assertEquals(1, worker.waitFor(TIMEOUT));
            assertTrue(worker.stderr().get(0).startsWith("[race-worker] error: shm_open '" + name + "' failed"),
                    worker.stderr().toString());
        }
    }

    @Test
    void aCountTooLargeForTheIntIsRefused() throws Exception {
        try (JvmProcess race = JvmProcess.start(Race.class, "--name", name,
                "--processes", "64", "--increments", "100000000")) {
            assertEquals(2, race.waitFor(TIMEOUT));
            assertTrue(race.stderr().get(0).contains("does not fit the shared int"), race.stderr().toString());
        }
    }
}
