package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.JvmProcess;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client and the server as separate JVMs (the client starts the server): the normal run, a
 * long run, and every failure the module promises to survive, each followed by a check that no
 * named object is left behind.
 */
class EventSyncIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String FOUND = "[client] File found : ";

    @TempDir
    Path tree;

    private final List<String> bases = new ArrayList<>();

    /** A unique --names base: the four objects are BASE.new, BASE.read, BASE.lock, BASE.map. */
    private String base() {
        String base = TestNames.unique("es");
        bases.add(base);
        return base;
    }

    @AfterEach
    void nothingLeftBehind() {
        List<String> left = new ArrayList<>();
        for (String base : bases) {
            for (String event : List.of(base + ".new", base + ".read")) {
                if (NamedEvent.unlink(event)) {
                    left.add(event);
                }
            }
            if (NamedMutex.unlink(base + ".lock")) {
                left.add(base + ".lock");
            }
            if (SharedMemory.unlink(base + ".map")) {
                left.add(base + ".map");
            }
        }
        assertEquals(List.of(), left, "left behind");
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    /** A tree of {@code dirs} x {@code files} empty files, plus an empty directory. */
    private List<String> generateTree(int dirs, int files) throws IOException {
        List<String> names = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectories(tree.resolve("dir" + d).resolve("sub"));
            for (int f = 0; f < files; f++) {
                String name = "file-" + d + "-" + f + ".txt";
                Files.createFile((f % 2 == 0 ? dir : dir.getParent()).resolve(name));
                names.add(name);
            }
        }
        Files.createDirectories(tree.resolve("empty"));
        return names;
    }

    private static List<String> found(JvmProcess client) {
        return client.stdout().stream().filter(line -> line.startsWith(FOUND))
                .map(line -> line.substring(FOUND.length())).sorted().collect(Collectors.toList());
    }

    private static ProcessHandle serverOf(JvmProcess client) throws Exception {
        client.awaitLine("[server] hallo from server"::equals, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> children = ProcessHandle.of(client.pid()).orElseThrow().children()
                    .collect(Collectors.toList());
            if (!children.isEmpty()) {
                return children.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the client started no server");
    }

    /** A client that would walk a 1,000-file tree a million times: it runs until stopped. */
    private JvmProcess startEndlessRun(String base) throws IOException {
        generateTree(10, 100);
        return JvmProcess.start(Client.class, tree.toString(), "--repeat", "1000000", "--quiet", "--names", base);
    }

    private static void awaitExit(ProcessHandle process) throws Exception {
        process.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void everyFileOfTheTreeCrossesOnceAndInOrder() throws Exception {
        List<String> expected = generateTree(3, 4);
        for (String name : List.of("grüße.txt", "日本語のファイル.txt", "emoji-😀.txt", "with space.txt", ".hidden")) {
            Files.createFile(tree.resolve(name));
            expected.add(name);
        }
        expected.sort(null);
        try (JvmProcess client = JvmProcess.start(Client.class, tree.toString(), "--names", base())) {
            assertEquals(0, client.waitFor(TIMEOUT), client.stdout() + " " + client.stderr());
            assertEquals(expected, found(client));
            List<String> out = client.stdout();
            assertTrue(out.contains("[server] hallo from server"), out.toString());
            assertTrue(out.contains("[client] Done."), out.toString());
            assertTrue(out.contains("[server] server done"), out.toString());
            assertTrue(out.contains("[server] sent " + expected.size() + " records, skipped 0 unreadable entries"));
            assertTrue(out.stream().anyMatch(line -> line.startsWith("[client] " + expected.size() + " records in ")
                    && line.endsWith(" records/s)")), out.toString());
            assertTrue(out.contains("[client] sequence check: 0 lost, 0 duplicated, 0 out of order"));
            assertEquals(List.of(), client.stderr());
        }
    }

    @Test
    void theDemoListsItsDefaultDirectory() throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--names", base())) {
            assertEquals(0, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
            assertTrue(demo.stdout().contains("[client] starting the server to list " + Client.DEFAULT_DIRECTORY));
            assertTrue(demo.stdout().contains("[client] Done."));
            assertTrue(found(demo).size() > 0, "java.home/conf holds files");
        }
    }

    @Test
    void aLongRunLosesDuplicatesAndReordersNothing() throws Exception {
        generateTree(10, 100); // 1,000 files, walked 100 times: 100,000 records
        try (JvmProcess client = JvmProcess.start(Client.class, tree.toString(), "--repeat", "100", "--quiet",
                "--names", base())) {
            assertEquals(0, client.waitFor(Duration.ofMinutes(5)), client.stdout() + " " + client.stderr());
            List<String> out = client.stdout();
            assertTrue(out.stream().anyMatch(line -> line.startsWith("[client] 100000 records in ")), out.toString());
            assertTrue(out.contains("[client] sequence check: 0 lost, 0 duplicated, 0 out of order"), out.toString());
            assertTrue(out.contains("[server] sent 100000 records, skipped 0 unreadable entries"), out.toString());
        }
    }

    @Test
    void aServerKilledMidStreamIsReportedAndEverythingRemoved() throws Exception {
        try (JvmProcess client = startEndlessRun(base())) {
            ProcessHandle server = serverOf(client);
            Thread.sleep(500); // mid-stream
            server.destroyForcibly(); // SIGKILL: no cleanup of its own
            assertEquals(1, client.waitFor(TIMEOUT));
            String error = String.join("\n", client.stderr());
            // 137 = 128 + SIGKILL on Linux and macOS; TerminateProcess gives 1 on Windows.
            assertTrue(error.matches("(?s)\\[client] error: the server (ended \\(exit code (137|1)\\)"
                    + "|died holding the mutex \\(abandoned\\)) after \\d+ records"), error);
        }
    }

    @Test
    void aClientKilledMidStreamMakesTheServerGiveUpAndClean() throws Exception {
        try (JvmProcess client = startEndlessRun(base())) {
            ProcessHandle server = serverOf(client);
            Thread.sleep(500);
            client.kill(); // SIGKILL: the client's exit hooks do not run
            awaitExit(server); // it gives up after 5000 ms and removes the client's objects
        }
        // nothingLeftBehind() checks that the server removed all four names.
    }

    @Test
    void aServerWhoseClientStopsReadingGivesUpAfterItsTimeout() throws Exception {
        // The test plays the client and stops after one record; the server must exit non-zero.
        String base = base();
        generateTree(1, 3);
        try (Channel channel = Channel.create(Contract.Names.of(base))) {
            channel.lockMutex.unlock();
            try (JvmProcess server = JvmProcess.start(Server.class, tree.toString(), "--names", base,
                    "--client-pid", Long.toString(ProcessHandle.current().pid()))) {
                assertTrue(channel.serverNewData.await(TIMEOUT), "the first record");
                assertEquals(LockResult.ACQUIRED, channel.lockMutex.lock(TIMEOUT));
                channel.lockMutex.unlock();
                // ... and never sets ClientReadFinish again.
                assertEquals(1, server.waitFor(TIMEOUT));
                assertEquals(List.of("[server] error: the client did not read for 5000 ms; giving up before record 2"
                        + " (1 sent)"), server.stderr());
                assertEquals(List.of("[server] hallo from server"), server.stdout(), "the client lives: nothing removed");
            }
        }
    }

    @Test
    void aSecondClientIsRefusedAndLeavesTheFirstAlone() throws Exception {
        String base = base();
        try (JvmProcess first = startEndlessRun(base)) {
            ProcessHandle server = serverOf(first);
            try (JvmProcess second = JvmProcess.start(Client.class, tree.toString(), "--names", base)) {
                assertEquals(1, second.waitFor(TIMEOUT));
                String error = String.join("\n", second.stderr());
                assertTrue(error.startsWith("[client] error: '" + base + ".map' exists: another client is running"), error);
            }
            NamedEvent.open(base + ".new").close(); // the first client's objects are still there
            assertTrue(first.isAlive());
            first.interrupt(); // Ctrl-C
            assertNotEquals(0, first.waitFor(TIMEOUT));
            awaitExit(server); // the server gives up on its own
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnTheServerIsReportedByTheClient() throws Exception {
        try (JvmProcess client = startEndlessRun(base())) {
            ProcessHandle server = serverOf(client);
            Thread.sleep(500);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, client.waitFor(TIMEOUT));
            String error = String.join("\n", client.stderr());
            assertTrue(error.matches("(?s)\\[client] error: the server (ended \\(exit code 130\\)"
                    + "|died holding the mutex \\(abandoned\\)) after \\d+ records"), error);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnTheClientRemovesEverything() throws Exception {
        try (JvmProcess client = startEndlessRun(base())) {
            ProcessHandle server = serverOf(client);
            client.interrupt();
            assertEquals(130, client.waitFor(TIMEOUT), "128 + SIGINT");
            awaitExit(server);
        }
    }

    @Test
    void aMissingDirectoryIsReportedBeforeAnythingIsMade() throws Exception {
        Path missing = tree.resolve("no-such-dir");
        try (JvmProcess client = JvmProcess.start(Client.class, missing.toString(), "--names", base())) {
            assertEquals(1, client.waitFor(TIMEOUT));
            assertEquals(List.of("[client] error: no such directory: " + missing), client.stderr());
            assertEquals(List.of(), client.stdout(), "no server started");
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnAServerWhoseClientWasKilledRemovesEverything() throws Exception {
        generateTree(10, 100);
        try (JvmProcess client = JvmProcess.start(Client.class, tree.toString(), "--repeat", "1000000", "--names", base())) {
            ProcessHandle server = serverOf(client);
            client.awaitLine(line -> line.startsWith(FOUND), TIMEOUT); // the server is mid-stream
            client.kill(); // SIGKILL: the client's exit hooks do not run
            assertFalse(client.isAlive());
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
            awaitExit(server); // its exit hook removes the client's objects
        }
        // nothingLeftBehind() checks that all four names are gone.
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aServerWhoseClientIsGoneLeavesALaterRunsObjectsAlone() throws Exception {
        // The test plays two clients of the same names: the first one's run ends (as a client
        // stopped by a signal, whose exit hooks remove its names), a second one starts, and the
        // first one's server then gives up. It must not remove the second run's objects.
        String base = base();
        Contract.Names names = Contract.Names.of(base);
        generateTree(1, 3);
        Process ended = new ProcessBuilder("true").start(); // a pid that is gone: the dead client
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        Channel first = Channel.create(names);
        first.lockMutex.unlock();
        try (JvmProcess server = JvmProcess.start(Server.class, tree.toString(), "--names", base,
                "--client-pid", Long.toString(ended.pid()))) {
            assertTrue(first.serverNewData.await(TIMEOUT), "the first record");
            first.close(); // closes and removes the first run's four names
            try (Channel later = Channel.create(names)) {
                later.lockMutex.unlock();
                assertEquals(1, server.waitFor(TIMEOUT));
                assertEquals(List.of("[server] hallo from server", "[server] the client (pid " + ended.pid()
                        + ") is gone; its names are gone too or belong to another run: left them"), server.stdout());
                NamedEvent.open(names.serverNewData()).close();
                NamedEvent.open(names.clientReadFinish()).close();
                NamedMutex.open(names.lockMutex()).close();
                SharedMemory.open(names.mapping()).close();
            }
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anUnreadableDirectoryIsSkippedAndTheWalkGoesOn() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads every directory: see FindDataTest.anUnreadableEntryIsReportedAndTheWalkGoesOn");
        List<String> expected = generateTree(2, 2);
        Path locked = Files.createDirectories(tree.resolve("locked"));
        Files.createFile(locked.resolve("hidden-from-the-walk.txt"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try (JvmProcess client = JvmProcess.start(Client.class, tree.toString(), "--names", base())) {
            assertEquals(0, client.waitFor(TIMEOUT), client.stdout() + " " + client.stderr());
            expected.sort(null);
            assertEquals(expected, found(client));
            assertTrue(client.stdout().contains("[server] cannot read " + locked.toRealPath() + " (permission denied), skipped"),
                    client.stdout().toString());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void badArgumentsAndStaleObjects() throws Exception {
        try (JvmProcess client = JvmProcess.start(Client.class, "--repeat", "0")) {
            assertEquals(2, client.waitFor(TIMEOUT));
        }
        String base = base();
        NamedEvent.create(base + ".new", false).close(); // what a crashed client leaves on POSIX
        try (JvmProcess remove = JvmProcess.start(Client.class, "--remove", "--names", base)) {
            assertEquals(0, remove.waitFor(TIMEOUT));
            assertEquals(OsFamily.current().isPosix()
                    ? List.of("[client] removed " + base + ".new")
                    : List.of("[client] nothing to remove: Windows deletes the objects with their last handle"),
                    remove.stdout());
        }
        IpcException gone = assertThrows(IpcException.class,
                () -> NamedEvent.open(base + ".new"));
        assertEquals(IpcException.Reason.NOT_FOUND, gone.reason());
    }
}
