package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.Processes;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    private final TestRuns runs = new TestRuns();

    /** A unique --names base: the four objects are BASE.new, BASE.read, BASE.lock, BASE.map. */
    private String base() {
        return runs.base();
    }

    @AfterEach
    void nothingLeftBehind() {
        runs.assertNoneLeft();
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
        return serverOf(client.toHandle().pid());
    }

    /** The client's child: the server. Windows also gives a console program a conhost.exe child. */
    private static ProcessHandle serverOf(long clientPid) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> children = ProcessHandle.of(clientPid).orElseThrow().children()
                    .filter(child -> !isWindowsConsoleHost(child.info().command()))
                    .collect(Collectors.toList());
            if (!children.isEmpty()) {
                return children.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the client started no server");
    }

    /** As the JDK's own process tests (ProcessUtil.isWindowsConsole) tell conhost.exe from a real child. */
    static boolean isWindowsConsoleHost(Optional<String> command) {
        return command.map(c -> c.toLowerCase(Locale.ROOT).replace('/', '\\').endsWith("\\conhost.exe")).orElse(false);
    }

    @Test
    void theServerIsNotWindowsConsoleHost() {
        assertTrue(isWindowsConsoleHost(Optional.of("C:\\Windows\\System32\\conhost.exe")));
        assertTrue(isWindowsConsoleHost(Optional.of("C:\\WINDOWS\\system32\\Conhost.EXE")));
        assertFalse(isWindowsConsoleHost(Optional.of("C:\\Program Files\\Java\\bin\\java.exe")));
        assertFalse(isWindowsConsoleHost(Optional.of("/usr/lib/jvm/java-17/bin/java")));
        assertFalse(isWindowsConsoleHost(Optional.empty()), "a process whose command cannot be read");
    }

    /** The server's log (its lines once its client is gone), read and removed; empty if there is none. */
    private static List<String> logOf(long serverPid) throws IOException {
        Path log = ServerLog.file(serverPid);
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(log);
        Files.delete(log);
        return lines;
    }

    /** What a server whose client {@code clientPid} died writes to its log: where, what it removed, why it ended. */
    private static void assertLogOfAServerWhoseClientDied(List<String> log, ProcessHandle server, long clientPid,
            String base) {
        String all = String.join("\n", log);
        assertTrue(log.contains("[server] the client (pid " + clientPid + ") is gone, and nothing reads my output any more:"
                + " it goes to " + ServerLog.file(server.pid()) + " as well"), all);
        if (OsFamily.current().isPosix()) {
            assertTrue(log.contains("[server] the client (pid " + clientPid + ") is gone; removed what it left: " + base
                    + ".new, " + base + ".read, " + base + ".lock, " + base + ".map"), all);
        }
        assertTrue(log.stream().anyMatch(line -> line.matches("\\[server] error: the client (did not read for 5000 ms"
                + "|died holding the mutex); giving up before record \\d+ \\(\\d+ sent\\)")), all);
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
        String base = base();
        try (JvmProcess client = startEndlessRun(base)) {
            ProcessHandle server = serverOf(client);
            Thread.sleep(500);
            long clientPid = client.toHandle().pid();
            client.kill(); // SIGKILL: the client's exit hooks do not run
            awaitExit(server); // it gives up after 5000 ms and removes the client's objects
            // Its output went through the client: its last lines are in its log.
            assertLogOfAServerWhoseClientDied(logOf(server.pid()), server, clientPid, base);
        }
        // nothingLeftBehind() checks that the server removed all four names.
    }

    @Test
    @EnabledOnOs(OS.LINUX) // where Processes reads the state from /proc; on macOS it asks ProcessHandle
    void aKilledClientThatNoOneHasReapedIsGoneAndTheServerCleansUpAfterIt() throws Exception {
        // The client's parent is a shell that execs sleep, which never waits for a child: killed,
        // the client stays a zombie. (A child of this JVM would be reaped at once by the JDK.)
        String base = base();
        generateTree(10, 100);
        Path output = Files.createTempFile("eventsync-client", ".out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "\"$@\" >\"$CLIENT_OUTPUT\" 2>&1 & echo $!; exec sleep 300",
                "sh", java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Client.class.getName(),
                tree.toString(), "--repeat", "1000000", "--quiet", "--names", base).redirectErrorStream(true);
        builder.environment().put("CLIENT_OUTPUT", output.toString());
        Process parent = builder.start();
        try {
            String pidLine = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            long clientPid = Long.parseLong(pidLine.trim());
            awaitTrue(() -> Files.readAllLines(output).contains("[server] hallo from server"), "the server starts");
            ProcessHandle server = serverOf(clientPid);
            Thread.sleep(500); // mid-stream
            ProcessHandle client = ProcessHandle.of(clientPid).orElseThrow();
            client.destroyForcibly(); // SIGKILL, and no one reaps it
            awaitTrue(() -> !Processes.isAlive(clientPid), "the client ends");
            assertTrue(client.isAlive(), "a zombie, which ProcessHandle counts as alive");
            awaitExit(server); // it gives up after 5000 ms and, the client being dead, cleans up
            assertLogOfAServerWhoseClientDied(logOf(server.pid()), server, clientPid, base);
            assertTrue(client.isAlive(), "still the zombie: the test tested one");
        } finally {
            parent.destroyForcibly(); // the zombie goes to init, which reaps it
            parent.waitFor(30, TimeUnit.SECONDS);
            Files.delete(output);
        }
        // nothingLeftBehind() checks that the server removed all four names.
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aServerWhoseClientStopsReadingGivesUpAfterItsTimeout() throws Exception {
        // The test plays the client and stops after one record; the server must exit non-zero.
        String base = base();
        generateTree(1, 3);
        try (Channel channel = Channel.create(TestRuns.names(base))) {
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
                assertFalse(Files.exists(ServerLog.file(server.toHandle().pid())), "the client lives: it reads every line");
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
            Signals.interrupt(first); // Ctrl-C
            assertNotEquals(0, first.waitFor(TIMEOUT));
            awaitExit(server); // the server gives up on its own
            assertLogOfAServerWhoseClientStopped(logOf(server.pid()), first.toHandle().pid());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // only Linux shows which processes use an object
    void removeStaleLeavesALiveRunsObjectsAndSaysWhoUsesThem() throws Exception {
        String base = base();
        try (JvmProcess run = startEndlessRun(base)) {
            ProcessHandle server = serverOf(run);
            try (JvmProcess remove = JvmProcess.start(Client.class, "--" + Cli.REMOVE_STALE, "--names", base)) {
                assertEquals(1, remove.waitFor(TIMEOUT), remove.stdout() + " " + remove.stderr());
                List<String> out = remove.stdout();
                assertEquals(4, out.size(), out.toString());
                for (String line : out) {
                    assertTrue(line.contains(": in use by process ") && line.contains(Long.toString(run.toHandle().pid()))
                            && line.endsWith(": a run is still going: left it"), line);
                }
                assertEquals(List.of("[client] error: left 4 objects in place, as said above"), remove.stderr());
            }
            NamedEvent.open(base + ".new").close(); // the run's objects are all still there
            SharedMemory.open(base + ".map").close();
            assertTrue(run.isAlive());
            Signals.interrupt(run); // Ctrl-C
            assertNotEquals(0, run.waitFor(TIMEOUT));
            awaitExit(server);
            assertLogOfAServerWhoseClientStopped(logOf(server.pid()), run.toHandle().pid());
        }
    }

    /**
     * A client stopped by a signal removed its names itself: its server, which gives up later,
     * says so in its log (if it had opened the objects before; else it failed at once, and has none).
     */
    private static void assertLogOfAServerWhoseClientStopped(List<String> log, long clientPid) {
        if (!log.isEmpty()) {
            assertTrue(log.contains("[server] the client (pid " + clientPid + ") is gone; its names are gone too or belong to"
                    + " another run: left them"), log.toString());
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
            Signals.interrupt(client);
            assertEquals(130, client.waitFor(TIMEOUT), "128 + SIGINT");
            awaitExit(server);
            assertLogOfAServerWhoseClientStopped(logOf(server.pid()), client.toHandle().pid());
        }
    }

    @Test
    void aMissingDirectoryOrARegularFileIsReportedBeforeAnythingIsMade() throws Exception {
        Path missing = tree.resolve("no-such-dir");
        Path file = Files.createFile(tree.resolve("a-file.txt"));
        for (String error : List.of("no such directory: " + missing, "not a directory: " + file)) {
            Path given = error.startsWith("no such") ? missing : file;
            try (JvmProcess client = JvmProcess.start(Client.class, given.toString(), "--names", base())) {
                assertEquals(1, client.waitFor(TIMEOUT));
                assertEquals(List.of("[client] error: " + error), client.stderr());
                assertEquals(List.of(), client.stdout(), "no server started");
            }
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnAServerWhoseClientWasKilledRemovesEverything() throws Exception {
        String base = base();
        generateTree(10, 100);
        try (JvmProcess client = JvmProcess.start(Client.class, tree.toString(), "--repeat", "1000000", "--names", base)) {
            ProcessHandle server = serverOf(client);
            client.awaitLine(line -> line.startsWith(FOUND), TIMEOUT); // the server is mid-stream
            client.kill(); // SIGKILL: the client's exit hooks do not run
            assertFalse(client.isAlive());
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
            awaitExit(server); // its exit hook removes the client's objects
            String gone = "[server] the client (pid " + client.toHandle().pid() + ") is gone";
            // All of the log, in order: where the lines go from now on, then what was removed.
            assertEquals(List.of(gone + ", and nothing reads my output any more: it goes to "
                    + ServerLog.file(server.pid()) + " as well", gone + "; removed what it left: " + base + ".new, "
                    + base + ".read, " + base + ".lock, " + base + ".map"), logOf(server.pid()));
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
        Contract.Names names = TestRuns.names(base);
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
                String gone = "[server] the client (pid " + ended.pid() + ") is gone";
                String logged = gone + ", and nothing reads my output any more: it goes to "
                        + ServerLog.file(server.toHandle().pid()) + " as well";
                String leftThem = gone + "; its names are gone too or belong to another run: left them";
                assertEquals(List.of("[server] hallo from server", logged, leftThem), server.stdout());
                List<String> log = logOf(server.toHandle().pid());
                assertTrue(log.contains(logged) && log.contains(leftThem), log.toString());
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
    void helpIsTheUsageAndNothingElse() throws Exception {
        for (Class<?> program : List.of(Client.class, Server.class)) {
            for (String help : List.of("--help", "-h")) {
                try (JvmProcess process = JvmProcess.start(program, tree.toString(), help)) {
                    assertEquals(0, process.waitFor(TIMEOUT));
                    assertEquals(List.of("usage: " + (program == Client.class ? Client.USAGE : Server.USAGE)),
                            process.stdout(), "no 'hallo from server', no directory check");
                    assertEquals(List.of(), process.stderr());
                }
            }
        }
    }

    @Test
    void badArgumentsAreOneLineAndExit2() throws Exception {
        String tooLong = "b".repeat(Contract.MAX_BASE_LENGTH + 1);
        String limit = "--names BASE must be at most " + Contract.MAX_BASE_LENGTH + " characters (the name limit, "
                + ObjectName.MAX_LENGTH + ", less the longest suffix this module appends), not "
                + tooLong.length() + " ('" + tooLong + "') (run with --help for usage)";
        String empty = "DIRECTORY is empty: give the directory to list (run with --help for usage)";
        record Case(Class<?> program, String role, List<String> args) {
        }
        List<Case> cases = List.of(
                new Case(Client.class, "client", List.of("--repeat", "0")),
                new Case(Client.class, "client", List.of("--remove")),
                new Case(Client.class, "client", List.of("")),
                new Case(Server.class, "server", List.of("")),
                new Case(Client.class, "client", List.of(tree.toString(), "--names", tooLong)),
                new Case(Server.class, "server", List.of(tree.toString(), "--names", tooLong)),
                new Case(Client.class, "client", List.of("--" + Cli.REMOVE_STALE, tree.toString())),
                new Case(Client.class, "client", List.of("--no-server", tree.toString())),
                new Case(Client.class, "client", List.of("--no-server", "--repeat", "2")));
        for (Case c : cases) {
            try (JvmProcess process = JvmProcess.start(c.program(), c.args().toArray(String[]::new))) {
                assertEquals(2, process.waitFor(TIMEOUT), c.toString());
                List<String> stderr = process.stderr();
                assertEquals(1, stderr.size(), c + ": " + stderr);
                assertTrue(stderr.stream().allMatch(line -> line.startsWith("[" + c.role() + "] error: ")), stderr.toString());
                if (c.args().contains("")) {
                    assertEquals(List.of("[" + c.role() + "] error: " + empty), stderr);
                }
                if (c.args().contains(tooLong)) {
                    assertEquals(List.of("[" + c.role() + "] error: " + limit), stderr);
                }
                assertEquals(List.of(), process.stdout(), "nothing made, no server started");
            }
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleRemovesWhatAKilledRunLeftAndNothingElse() throws Exception {
        String base = base();
        try (JvmProcess client = startEndlessRun(base)) {
            ProcessHandle server = serverOf(client);
            client.kill(); // SIGKILL: its exit hooks do not run ...
            server.destroyForcibly(); // ... and the server is gone before it could clean up
            awaitExit(server);
        }
        NamedEvent.open(base + ".new").close(); // left behind
        String flag = "--" + Cli.REMOVE_STALE;
        try (JvmProcess remove = JvmProcess.start(Client.class, flag, "--names", base)) {
            assertEquals(0, remove.waitFor(TIMEOUT), remove.stderr().toString());
            assertEquals(List.of("[client] mapping " + base + ".map: removed", "[client] event " + base + ".new: removed",
                    "[client] event " + base + ".read: removed", "[client] mutex " + base + ".lock: removed"), remove.stdout());
        }
        try (JvmProcess again = JvmProcess.start(Client.class, flag, "--names", base)) {
            assertEquals(0, again.waitFor(TIMEOUT));
            assertEquals(List.of("[client] mapping " + base + ".map: nothing there", "[client] event " + base
                    + ".new: nothing there", "[client] event " + base + ".read: nothing there", "[client] mutex " + base
                    + ".lock: nothing there"), again.stdout());
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anotherModulesObjectsAreLeftAloneAndNamed() throws Exception {
        // 01's message writer maps www.cpp-blog.com too, 2048 bytes; here under this test's base.
        String base = base();
        NamedMutex.create(base + ".new", false).close(); // the name stays
        try (SharedMemory writers = SharedMemory.create(base + ".map", 2048)) {
            writers.buffer().put(Contract.MARK_OFFSET, (byte) 'x'); // text where 04's mark would be
            try (JvmProcess remove = JvmProcess.start(Client.class, "--" + Cli.REMOVE_STALE, "--names", base)) {
                assertEquals(1, remove.waitFor(TIMEOUT));
                List<String> out = remove.stdout();
                assertEquals(4, out.size(), "one line per object: " + out);
                assertTrue(out.contains("[client] mapping " + base + ".map: not this module's: left it (2048 bytes without"
                        + " 04's mark (04's client makes " + Contract.MAPPING_SIZE + " bytes that end in it))"), out.toString());
                assertTrue(out.stream().anyMatch(line -> line.startsWith("[client] event " + base + ".new: not this module's:"
                        + " left it (") && line.contains("it is a named mutex, not a named event")), out.toString());
                assertTrue(out.contains("[client] event " + base + ".read: nothing there"), out.toString());
                assertTrue(out.contains("[client] mutex " + base + ".lock: nothing there"), out.toString());
                assertEquals(List.of("[client] error: left 2 objects in place, as said above"), remove.stderr());
            }
            try (JvmProcess client = JvmProcess.start(Client.class, tree.toString(), "--names", base)) {
                assertEquals(1, client.waitFor(TIMEOUT));
                assertEquals(List.of("[client] error: '" + base + ".map' exists and is not this module's (2048 bytes"
                        + " without 04's mark (04's client makes " + Contract.MAPPING_SIZE + " bytes that end in it)):"
                        + " another program uses the name (01's message writer also maps www.cpp-blog.com)"),
                        client.stderr(), "not 'another client is running'");
            }
            // Both are still there: the test, which made them, removes them.
            assertTrue(SharedMemory.unlink(base + ".map"), "the other program's mapping was left");
            assertTrue(NamedMutex.unlink(base + ".new"), "the mutex under an event's name was left");
        }
    }
}
