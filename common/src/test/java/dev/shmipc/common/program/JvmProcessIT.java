package dev.shmipc.common.program;

import dev.shmipc.common.NativeBinding;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.Signals;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** How a program started with {@link JvmProcess} runs, fails and stops. */
class JvmProcessIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Says what it is about to do, fails with the reason on standard error, exits 3. */
    static final class Fails {
        public static void main(String[] args) {
            System.out.println("[fails] starting");
            System.err.println("[fails] error: the real cause");
            System.exit(3);
        }
    }

    /** Dies of an exception with a cause: a stack trace on standard error. */
    static final class Throws {
        public static void main(String[] args) {
            throw new IllegalStateException("outer", new java.io.IOException("the root cause"));
        }
    }

    /** Exits 4 without a word. */
    static final class Silent {
        public static void main(String[] args) {
            System.exit(4);
        }
    }

    /**
     * Loads JNA's native library, and makes one call through common's binding (FFM on JDK 22+),
     * as every example does, and says which JDK and binding run it.
     */
    static final class UsesJna {
        public static void main(String[] args) {
            System.out.println("pointer size " + com.sun.jna.Native.POINTER_SIZE);
            System.out.println("java.home " + System.getProperty("java.home"));
            System.out.println("unlinked " + SharedMemory.unlink("jvmprocessit-none-" + ProcessHandle.current().pid()));
            System.out.println("binding " + NativeBinding.current());
        }
    }

    /** Holds until a signal ends it; its shutdown hook says so. */
    static final class Holds {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
            System.out.println("ready");
            Thread.sleep(TimeUnit.SECONDS.toMillis(60));
            System.out.println("not stopped");
        }
    }

    /** A program run through Cli that holds for a minute, saying its pid first. */
    static final class CliProgram {
        public static void main(String[] args) {
            Cli.main("held", "CliProgram", java.util.Set.of(), java.util.Set.of(), args, parsed -> {
                System.out.println("pid " + ProcessHandle.current().pid());
                Thread.sleep(TimeUnit.SECONDS.toMillis(60));
                return Cli.EXIT_OK;
            });
        }
    }

    /** Starts a {@link CliProgram}, passes on its first line, and waits. */
    static final class StartsAProgram {
        public static void main(String[] args) throws Exception {
            try (JvmProcess child = JvmProcess.start(CliProgram.class)) {
                System.out.println(child.awaitLine(line -> line.startsWith("pid "), TIMEOUT));
                child.waitFor(TIMEOUT);
            }
        }
    }

    /**
     * Started with SIGINT and SIGTERM ignored, as a background job of a non-interactive shell
     * is: starts {@link Holds}, sends it SIGINT, and prints how the child ended.
     */
    static final class IgnoresSignals {
        public static void main(String[] args) throws Exception {
            try (JvmProcess child = JvmProcess.start(Holds.class)) {
                child.awaitLine("ready"::equals, TIMEOUT);
                Signals.interrupt(child);
                try {
                    System.out.println("child exit " + child.waitFor(Duration.ofSeconds(20)) + " " + child.stdout());
                } catch (TimeoutException e) {
                    System.out.println("child ignored SIGINT");
                }
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aChildThatExitsIsReportedAtOnceWithItsCodeAndLastErrorLine() throws Exception {
        try (JvmProcess child = JvmProcess.start(Fails.class)) {
            // A timeout the test would never wait out: the exit must end the wait.
            TimeoutException e = assertThrows(TimeoutException.class,
                    () -> child.awaitLine("never"::equals, Duration.ofHours(1)));
            assertEquals("Fails exited with code 3 before printing the line awaited; "
                    + "its last error line: [fails] error: the real cause", e.getMessage());
        }
    }

    @Test
    void ofAStackTraceTheRootCauseIsReported() throws Exception {
        try (JvmProcess child = JvmProcess.start(Throws.class)) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> child.awaitLine("never"::equals, TIMEOUT));
            assertEquals("Throws exited with code 1 before printing the line awaited; "
                    + "its last error line: Caused by: java.io.IOException: the root cause", e.getMessage());
        }
    }

    @Test
    void aSilentChildIsReportedAsSuch() throws Exception {
        try (JvmProcess child = JvmProcess.start(Silent.class)) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> child.awaitLine("never"::equals, TIMEOUT));
            assertEquals("Silent exited with code 4 before printing the line awaited; it printed nothing",
                    e.getMessage());
        }
    }

    @Test
    void aLinePrintedJustBeforeExitingIsStillFound() throws Exception {
        try (JvmProcess child = JvmProcess.start(Fails.class)) {
            assertEquals(3, child.waitFor(TIMEOUT));
            assertEquals("[fails] starting", child.awaitLine(line -> line.endsWith("starting"), TIMEOUT));
        }
    }

    @Test
    void aChildThatOutlivesTheWaitIsATimeout() throws Exception {
        try (JvmProcess child = JvmProcess.start(Holds.class)) {
            child.awaitLine("ready"::equals, TIMEOUT);
            TimeoutException e = assertThrows(TimeoutException.class,
                    () -> child.awaitLine("never"::equals, Duration.ofMillis(300)));
            assertTrue(e.getMessage().startsWith("Holds printed no matching line within 300 ms; output so far: [ready]"),
                    e.getMessage());
        }
    }

    /** JNA and the FFM binding use restricted methods: JDK 22 and later warn unless allowed. */
    @Test
    void aChildRunsOnThisJdkAndPrintsNoNativeAccessWarning() throws Exception {
        try (JvmProcess child = JvmProcess.start(UsesJna.class)) {
            assertEquals(0, child.waitFor(TIMEOUT));
            assertEquals(List.of(), child.stderr());
            String javaHome = "java.home " + System.getProperty("java.home");
            assertTrue(child.stdout().contains(javaHome), child.stdout().toString());
            assertTrue(child.stdout().contains("binding " + NativeBinding.current()), child.stdout().toString());
        }
    }

    @Test
    void aBindingForcedHereIsForcedInTheChild() throws Exception {
        String before = System.getProperty(NativeBinding.PROPERTY);
        System.setProperty(NativeBinding.PROPERTY, "jna");
        try (JvmProcess child = JvmProcess.start(UsesJna.class)) {
            assertEquals(0, child.waitFor(TIMEOUT));
            assertTrue(child.stdout().contains("binding JNA"), child.stdout().toString());
        } finally {
            if (before == null) {
                System.clearProperty(NativeBinding.PROPERTY);
            } else {
                System.setProperty(NativeBinding.PROPERTY, before);
            }
        }
    }

    @Test
    void closeOnAnInterruptedThreadKillsAtOnceAndKeepsTheInterrupt() throws Exception {
        JvmProcess child = JvmProcess.start(Holds.class);
        child.awaitLine("ready"::equals, TIMEOUT);
        Thread.currentThread().interrupt();
        child.close();
        assertTrue(Thread.interrupted(), "the interrupt is kept");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(child.isAlive(), "killed");
    }

    @Test
    void aProgramEndsSoonAfterTheProcessThatStartedItIsKilled() throws Exception {
        try (JvmProcess parent = JvmProcess.start(StartsAProgram.class)) {
            String line = parent.awaitLine(text -> text.startsWith("pid "), TIMEOUT);
            ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring(4))).orElseThrow();
            parent.toHandle().destroyForcibly(); // SIGKILL: no hook, no clean-up
            child.onExit().get(30, TimeUnit.SECONDS); // not the 60 s it would hold
            assertFalse(child.isAlive());
        }
    }

    /**
     * A build started in the background of a non-interactive shell has SIGINT ignored, and so
     * would every child JVM: Ctrl-C would not run its shutdown hooks. JvmProcess restores it.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCReachesAChildOfAJvmThatIgnoresIt() throws Exception {
        List<String> command = new ArrayList<>(ignoringSignals());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IgnoresSignals.class.getName());
        Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
        parent.getOutputStream().close();
        String output = new String(parent.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(parent.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals("child exit 130 [ready, hook ran]", output.strip(), "128 + SIGINT, after the hook");
    }

    /**
     * macOS's way (perl) to reset what a child inherited, checked wherever perl is: the probe
     * sees the ignored signals, and after the reset it sees none.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void perlResetsIgnoredSignalsForTheCommandItRuns() throws Exception {
        assumeTrue(JvmProcess.exitCode(List.of("perl", "-e", "exit 0")) == 0, "perl is not installed");
        assertEquals(0, JvmProcess.exitCode(concat(ignoringSignals(), JvmProcess.PERL_PROBE)), "ignored, probe sees it");
        List<String> reset = concat(JvmProcess.PERL_RESET, JvmProcess.PERL_PROBE);
        assertEquals(3, JvmProcess.exitCode(concat(ignoringSignals(), reset)), "reset, probe sees nothing ignored");
        assertEquals(127, JvmProcess.exitCode(concat(JvmProcess.PERL_RESET, List.of("/no/such/program"))));
    }

    /** A shell that ignores SIGINT and SIGTERM, then executes the command that follows. */
    private static List<String> ignoringSignals() {
        return List.of("sh", "-c", "trap '' INT TERM; exec \"$0\" \"$@\"");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
