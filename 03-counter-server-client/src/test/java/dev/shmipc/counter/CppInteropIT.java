package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Wire compatibility with a native program that follows the article's C++ step for step:
 * {@code src/test/cpp/counter_peer.cpp} (an independent implementation: the article's listing
 * carries no licence). Each test run compiles it into {@code target/cpp/} and passes it its own
 * unique name. It runs with the article's timing (ten rounds of 800 and 500 ms).
 */
@EnabledOnOs(OS.LINUX)
class CppInteropIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path SOURCE = Path.of("src", "test", "cpp", "counter_peer.cpp");
    private static final Path OUT = Path.of("target", "cpp");
    private static Path program;
    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("cpp");

    @BeforeAll
    static void compileTheNativePeer() throws Exception {
        String skipped = "g++ is not on the PATH: skipping the interop tests with the native C++ peer";
        boolean present = gxxIsInstalled();
        if (!present) {
            System.err.println("[skipped] " + skipped); // on the console, not only in the report
        }
        assumeTrue(present, skipped);
        Files.createDirectories(OUT);
        program = OUT.resolve("counter_peer");
        Path log = OUT.resolve("g++-" + TestNames.unique("cpp") + ".log");
        Process gxx = new ProcessBuilder("g++", "-O1", SOURCE.toString(), "-o", program.toString(), "-lrt")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!gxx.waitFor(120, TimeUnit.SECONDS)) {
            gxx.destroyForcibly();
            fail("g++ did not finish within two minutes");
        }
        assertEquals(0, gxx.exitValue(), () -> "g++ failed: " + read(log));
    }

    private static boolean gxxIsInstalled() throws InterruptedException {
        try {
            Process gxx = new ProcessBuilder("g++", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return gxx.waitFor(60, TimeUnit.SECONDS) && gxx.exitValue() == 0;
        } catch (IOException notFound) {
            return false;
        }
    }

    @AfterEach
    void nothingIsLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void javaServerWithTheNativeClient() throws Exception {
        Path log = OUT.resolve("client-" + name + ".log");
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name)) {
            server.awaitLine(line -> line.startsWith("[server] created "), TIMEOUT);
            List<String> client = run(start("client", log), log);
            assertEquals(0, server.waitFor(TIMEOUT), server.stderr().toString());

            Transcript c = new Transcript("client", "", client);
            Transcript s = new Transcript("server", "[server] ", server.stdout());
            c.assertArticleOrder(10, "shmem_open succeed fd: ");
            s.assertArticleOrder(10, "created ");
            c.assertArticleRules(10, true);
            // The article's client zeroes the server's slot when it starts, so the server's own
            // value may restart; each line is still one above the client's.
            s.assertArticleRules(10, false);
            assertTrue(c.sawThePeer(), "the C++ client read the Java server's writes: " + c);
            assertTrue(s.sawThePeer(), "the Java server read the C++ client's writes: " + s);
        }
    }

    @Test
    void javaClientWithTheNativeServer() throws Exception {
        Path log = OUT.resolve("server-" + name + ".log");
        // The C++ server writes no stamp (Stamp): the client is told not to wait for one.
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--wait", "60000")) {
            client.awaitLine(line -> line.startsWith("[client] waiting "), TIMEOUT);
            Process cppServer = start("server", log);
            assertEquals(0, client.waitFor(TIMEOUT), client.stderr().toString());
            List<String> server = run(cppServer, log);

            Transcript s = new Transcript("server", "", server);
            Transcript c = new Transcript("client", "[client] ", client.stdout());
            s.assertArticleOrder(10, "server: shmem_open succeed fd: ");
            c.assertArticleOrder(10, "waiting ", "/" + name + " carries no stamp", "opened ");
            s.assertArticleRules(10, true);
            // The article's server zeroes both slots after mmap; a client that opened in between
            // loses its first value.
            c.assertArticleRules(10, false);
            assertTrue(s.sawThePeer(), "the C++ server read the Java client's writes: " + s);
            assertTrue(c.sawThePeer(), "the Java client read the C++ server's writes: " + c);
        }
    }

    private Process start(String role, Path log) throws IOException {
        return new ProcessBuilder(program.toString(), role, "/" + name).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** Waits for the C++ program to exit with 0 and returns its output. */
    private static List<String> run(Process process, Path log) throws Exception {
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("the C++ program did not exit within " + TIMEOUT + ": " + read(log));
            }
            assertEquals(0, process.exitValue(), () -> "the C++ program failed: " + read(log));
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
