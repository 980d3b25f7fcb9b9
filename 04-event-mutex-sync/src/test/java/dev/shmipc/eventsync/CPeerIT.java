package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * 04's record stream between Java and a C peer ({@code src/test/c/peer04.c}, built on common's
 * {@code shmipc_sync.h}), in each pairing: a C client with the Java Server, the Java client's
 * side with a C server, and C with C. Each run lists a tree of known files, ASCII and not; the
 * client must get every file in the walk's order, numbered 1, 2, 3 ..., then the end record, both
 * sides must exit 0, and nothing may be left in {@code /dev/shm}.
 *
 * <p>The Java Client starts the Java Server itself (the article's {@code ShellExecuteEx}) unless
 * told {@code --no-server}: then it makes its objects and waits for a server started elsewhere,
 * here the C one. Its output shows names only; so one more test plays the client's side with
 * common's {@link SharedMemory}, {@link NamedEvent} and {@link NamedMutex}, in the Java Client's
 * order and initial states, and compares every field of every record the C server sends with
 * what the Java server would send ({@link FindData#of}).
 *
 * <p>The peer is built once, into {@code target/}; without gcc the tests are skipped.
 */
@EnabledOnOs(OS.LINUX)
class CPeerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** As long as the Java Client waits for a record (Contract.CLIENT_IDLE_LIMIT). */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(30);
    /** {@code sizeof(WIN32_FIND_DATAW)}: the wire format, as peer04.c states it too. */
    private static final int RECORD_SIZE = 592;
    private static final String FOUND = "[client] File found : ";
    private static final String CLIENT_READY = "[client] waiting for a server on ";

    private static Path peer;

    @TempDir
    Path work;

    /** What the servers list; the peers' output files stay beside it, out of the walk. */
    private Path tree;

    @BeforeAll
    static void buildThePeer() throws Exception {
        Assumptions.assumeTrue(gccRuns(), "gcc is not installed: the C peer cannot be built");
        // target/test-classes, whatever the working directory
        Path module = Path.of(CPeerIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent();
        peer = module.resolve("target").resolve("peer04");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
                "-I", module.resolveSibling("common").resolve("src/main/c").toString(),
                "-o", peer.toString(), module.resolve("src/test/c/peer04.c").toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            gcc.destroyForcibly();
            fail("gcc did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        assertEquals(0, gcc.exitValue(), "gcc failed: " + output);
    }

    private static boolean gccRuns() throws InterruptedException {
        try {
            Process gcc = new ProcessBuilder("gcc", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return gcc.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) && gcc.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Files of distinct sizes, names ASCII and not, hidden, read-only, a link, in two levels. */
    @BeforeEach
    void fillTree() throws IOException {
        tree = Files.createDirectory(work.resolve("tree"));
        Path sub = Files.createDirectories(tree.resolve("sub").resolve("deeper"));
        Files.createDirectory(tree.resolve("empty")); // walked, nothing sent
        List<Path> files = List.of(tree.resolve("plain.txt"), tree.resolve("grüße.txt"),
                tree.resolve("日本語のファイル.txt"), tree.resolve("emoji-😀.txt"), tree.resolve("with space.txt"),
                tree.resolve(".hidden"), tree.resolve("read-only.txt"), sub.getParent().resolve("inner.bin"),
                sub.resolve("last.txt"));
        for (int i = 0; i < files.size(); i++) {
            Files.write(files.get(i), new byte[1000 * i + 1]);
        }
        Files.setPosixFilePermissions(tree.resolve("read-only.txt"), PosixFilePermissions.fromString("r--r--r--"));
        Files.createSymbolicLink(tree.resolve("link-to-plain"), Path.of("plain.txt")); // sent, not followed
    }

    /** On Linux every object of this JVM's tests shows in /dev/shm: the four names of each base and their semaphores. */
    @AfterEach
    void nothingLeftBehind() throws IOException {
        List<String> left = TestNames.leftoversInDevShm();
        for (String name : left) {
            Files.deleteIfExists(Path.of("/dev/shm", name)); // so that one failure does not leak into the next test
        }
        assertEquals(List.of(), left, "left in /dev/shm");
    }

    /** A unique --names base: the four objects are BASE.new, BASE.read, BASE.lock, BASE.map. */
    private static String base() {
        return TestNames.unique("cp");
    }

    /** The files the Java Server sends, in its order: Files.walkFileTree, directories walked, not sent. */
    private List<Path> walkOrder() throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(tree.toRealPath(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                files.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static List<String> namesOf(List<Path> files) {
        return files.stream().map(file -> file.getFileName().toString()).collect(Collectors.toList());
    }

    @Test
    void aCClientGetsEveryRecordFromTheJavaServer() throws Exception {
        aCClientWith((base, clientPid, records) -> {
            // As the Java Client starts its server, once the objects are made (Client.run).
            try (JvmProcess server = JvmProcess.start(Server.class, tree.toString(), "--repeat", "1",
                    "--client-pid", Long.toString(clientPid), "--names", base)) {
                assertEquals(0, server.waitFor(TIMEOUT), server.stdout() + " " + server.stderr());
                assertTrue(server.stdout().contains(sent(records)), server.stdout().toString());
                assertTrue(server.stdout().contains("[server] server done"), server.stdout().toString());
                assertEquals(List.of(), server.stderr());
            }
        });
    }

    @Test
    void aCServerServesTheJavaClient() throws Exception {
        List<String> expected = namesOf(walkOrder());
        String base = base();
        // --no-server: the client makes its objects and waits for a server someone else starts.
        try (JvmProcess client = JvmProcess.start(Client.class, "--no-server", "--names", base)) {
            client.awaitLine(line -> line.startsWith(CLIENT_READY), TIMEOUT);
            try (Peer server = Peer.start(work, "server", tree.toString(), "--names", base)) {
                assertEquals(0, server.waitFor(), server.output());
                assertEquals(List.of("[server] hallo from server", sent(expected.size()), "[server] server done"),
                        server.stdout());
                assertEquals(List.of(), server.stderr());
            }
            assertEquals(0, client.waitFor(TIMEOUT), client.stdout() + " " + client.stderr());
            assertClientGotAll(client.stdout(), expected);
            assertEquals(List.of(), client.stderr());
        }
    }

    @Test
    void aCServerFillsEachRecordAsTheJavaServerWould() throws Exception {
        List<Path> expected = walkOrder();
        String base = base();
        List<FindData> records = new ArrayList<>();
        // Field for field, which the Java Client's output does not show: the test plays the
        // client's side with its objects and steps, and compares each record with FindData.of.
        // The Java Client's objects, in its order and initial states (Channel.create), then its
        // SetEvent(ClientReadFinish) and ReleaseMutex before the server starts.
        try (SharedMemory buffer = SharedMemory.create(base + ".map", Contract.MAPPING_SIZE);
                NamedEvent serverNewData = NamedEvent.create(base + ".new", false);
                NamedEvent clientReadFinish = NamedEvent.create(base + ".read", true);
                NamedMutex lockMutex = NamedMutex.create(base + ".lock", true)) {
            buffer.setLongRelease(Contract.RUN_TOKEN_OFFSET, new SecureRandom().nextLong() | 1);
            buffer.setLongRelease(Contract.MARK_OFFSET, Contract.MARK);
            clientReadFinish.set();
            lockMutex.unlock();
            try (Peer server = Peer.start(work, "server", tree.toString(), "--names", base)) {
                // The Java Client's loop, per record: await, lock, copy out, unlock, set.
                while (true) {
                    awaitRecord(serverNewData, server, records.size());
                    assertEquals(LockResult.ACQUIRED, lockMutex.lock(Contract.CLIENT_LOCK_WAIT), "the mutex");
                    byte[] bytes = new byte[RECORD_SIZE];
                    buffer.buffer().get(0, bytes);
                    lockMutex.unlock();
                    clientReadFinish.set();
                    FindData record = FindData.fromBytes(bytes);
                    if (record.isEnd()) {
                        assertEquals(FindData.END, record, "the end record is all zero");
                        break;
                    }
                    records.add(record);
                }
                assertEquals(0, server.waitFor(), server.output());
                assertTrue(server.stdout().contains(sent(expected.size())), server.output());
                assertTrue(server.stdout().contains("[server] server done"), server.output());
                assertEquals(List.of(), server.stderr());
            }
        } finally {
            // as the Java Client removes its names when it closes its Channel
            NamedEvent.unlink(base + ".new");
            NamedEvent.unlink(base + ".read");
            NamedMutex.unlink(base + ".lock");
            SharedMemory.unlink(base + ".map");
        }
        assertEquals(namesOf(expected), records.stream().map(FindData::fileName).collect(Collectors.toList()));
        for (int i = 0; i < records.size(); i++) {
            assertRecordOf(expected.get(i), i + 1, records.get(i));
        }
    }

    @Test
    void aCClientGetsEveryRecordFromACServer() throws Exception {
        aCClientWith((base, clientPid, records) -> {
            try (Peer server = Peer.start(work, "server", tree.toString(), "--names", base)) {
                assertEquals(0, server.waitFor(), server.output());
                assertEquals(List.of("[server] hallo from server", sent(records), "[server] server done"), server.stdout());
                assertEquals(List.of(), server.stderr());
            }
        });
    }

    /** A server run against a C client that has made the objects; it checks the server's side. */
    @FunctionalInterface
    private interface ServerRun {
        void serve(String base, long clientPid, int records) throws Exception;
    }

    /** Starts a C client, lets {@code server} serve it once it is ready, then checks what the client got. */
    private void aCClientWith(ServerRun server) throws Exception {
        List<String> expected = namesOf(walkOrder());
        String base = base();
        try (Peer client = Peer.start(work, "client", "--names", base)) {
            client.awaitLine(CLIENT_READY);
            server.serve(base, client.pid(), expected.size());
            assertEquals(0, client.waitFor(), client.output());
            assertClientGotAll(client.stdout(), expected);
            assertEquals(List.of(), client.stderr());
        }
    }

    private static String sent(int records) {
        return "[server] sent " + records + " records, skipped 0 unreadable entries";
    }

    /** WaitForSingleObject(ServerNewData), in steps that notice a server that has ended. */
    private static void awaitRecord(NamedEvent serverNewData, Peer server, int received) throws Exception {
        long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
        while (!serverNewData.await(Contract.CLIENT_CHECK_EVERY)) {
            if (!server.isAlive()) {
                fail("the C server ended after " + received + " records: " + server.output());
            }
            if (System.nanoTime() > deadline) {
                fail("no record from the C server for " + RECORD_WAIT.toSeconds() + " s after " + received
                        + " records: " + server.output());
            }
        }
    }

    /**
     * The record {@link FindData#of} makes for {@code file}: the same fields, but for two times
     * that may differ for reasons of their own: creation (the JDK reports the birth time on Linux
     * only in recent releases, the last write before; the peer takes the birth time wherever the
     * file system keeps one) and last access (the file system's to update). The attributes are
     * read as {@link PosixFileAttributes}: the permissions are what READONLY comes from.
     */
    private static void assertRecordOf(Path file, int sequence, FindData record) throws IOException {
        FindData java = FindData.of(file, Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS), sequence);
        assertTrue(record.creationTime() > 0 && record.lastAccessTime() > 0, record.toString());
        assertEquals(new FindData(java.attributes(), record.creationTime(), record.lastAccessTime(),
                java.lastWriteTime(), java.size(), java.sequence(), java.fileName(), java.nameShortened()), record);
    }

    /** A client's lines for a whole stream: every name in the walk's order, then the end and an intact sequence. */
    private static void assertClientGotAll(List<String> out, List<String> expected) {
        String all = String.join("\n", out);
        List<String> found = out.stream().filter(line -> line.startsWith(FOUND))
                .map(line -> line.substring(FOUND.length())).collect(Collectors.toList());
        assertEquals(expected, found, all);
        int done = out.indexOf("[client] Done.");
        assertTrue(done > out.indexOf(FOUND + expected.get(expected.size() - 1)), "the end record ends the stream: " + all);
        assertTrue(out.stream().anyMatch(line -> line.startsWith("[client] " + expected.size() + " records in ")), all);
        // n records, none lost, twice or late: the numbers were 1 to n, in order
        assertTrue(out.contains("[client] sequence check: 0 lost, 0 duplicated, 0 out of order"), all);
    }

    /**
     * peer04 running, its output in files read as it comes. Closing it sends SIGTERM (a client
     * removes what it made on it), then kills it after five seconds.
     */
    private record Peer(Process process, Path out, Path err) implements AutoCloseable {
        static Peer start(Path work, String side, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(peer.toString(), side));
            command.addAll(List.of(args));
            Path out = Files.createTempFile(work, side, ".out");
            Path err = Files.createTempFile(work, side, ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Peer(process, out, err);
        }

        long pid() {
            return process.pid();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        List<String> stdout() throws IOException {
            return lines(out);
        }

        List<String> stderr() throws IOException {
            return lines(err);
        }

        /** Both streams, for a failure's message. */
        String output() throws IOException {
            return stdout() + " " + stderr();
        }

        private static List<String> lines(Path file) throws IOException {
            // A line being written may end in half a character: decode leniently.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        }

        void awaitLine(String prefix) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (stdout().stream().noneMatch(line -> line.startsWith(prefix))) {
                if (!process.isAlive() && stdout().stream().noneMatch(line -> line.startsWith(prefix))) {
                    fail("peer04 exited with code " + process.exitValue() + " before printing '" + prefix + "': " + output());
                }
                if (System.nanoTime() > deadline) {
                    fail("peer04 printed no '" + prefix + "' within " + TIMEOUT.toSeconds() + " s: " + output());
                }
                Thread.sleep(20);
            }
        }

        int waitFor() throws Exception {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                close();
                fail("peer04 did not exit within " + TIMEOUT.toSeconds() + " s: " + output());
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
