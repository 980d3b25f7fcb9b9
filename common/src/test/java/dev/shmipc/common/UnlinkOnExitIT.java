package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.Signals;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A separate JVM owns an object; however it ends, the name must be gone where it can be. */
class UnlinkOnExitIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final TestObjects objects = new TestObjects();

    /** Also after a failed test: removes what it left, and fails the run for it. */
    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
    }

    private static JvmProcess startOwner(String name) throws Exception {
        JvmProcess owner = JvmProcess.start(HoldsSharedMemory.class, name);
        owner.awaitLine(line -> line.startsWith("ready"), TIMEOUT);
        try (SharedMemory seen = SharedMemory.open(name)) {
            assertTrue(seen.existed());
        }
        return owner;
    }

    @Test
    void aNameMadeJustBeforeASignalIsRemovedWhenItsHookComesTooLate() throws Exception {
        String name = objects.name("late");
        try (JvmProcess stops = JvmProcess.start(StopsWhileCreating.class, "late-hook", name)) {
            assertEquals(143, stops.waitFor(TIMEOUT), stops.stderr().toString());
            assertEquals(List.of("asked"), stops.stdout());
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    void aSignalBeforeTheCreationStopsTheProgramInOneLineAndMakesNothing() throws Exception {
        String name = objects.name("stopped");
        try (JvmProcess stops = JvmProcess.start(StopsWhileCreating.class, "late-create", name)) {
            assertEquals(143, stops.waitFor(TIMEOUT), stops.stderr().toString());
            assertEquals(List.of("[stops] stopped while it was starting"), stops.stderr());
            assertTrue(stops.stdout().isEmpty(), stops.stdout().toString());
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    void anOrderlyExitRemovesTheName() throws Exception {
        String name = objects.name("exit");
        try (JvmProcess owner = startOwner(name)) {
            owner.writeLine("");
            assertEquals(0, owner.waitFor(TIMEOUT));
            assertTrue(owner.stdout().contains("leaving after a line"), owner.stdout().toString());
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCRemovesTheName() throws Exception {
        String name = objects.name("sigint");
        try (JvmProcess owner = startOwner(name)) {
            Signals.interrupt(owner);
            assertEquals(130, owner.waitFor(TIMEOUT), "128 + SIGINT");
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    void terminationRemovesTheName() throws Exception {
        String name = objects.name("sigterm");
        try (JvmProcess owner = startOwner(name)) {
            owner.terminate();
            int code = owner.waitFor(TIMEOUT);
            assertNotEquals(0, code, () -> "exit " + code + ", output " + owner.stdout() + owner.stderr());
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void sigkillLeavesThePosixNameBehindForSomeoneToRemove() throws Exception {
        String name = objects.name("sigkill");
        try (JvmProcess owner = startOwner(name)) {
            owner.kill();
        }
        // Nothing runs on SIGKILL: this is why the examples tell the user how to remove it.
        assertTrue(SharedMemory.unlink(name), "the name outlived its killed owner");
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsObjectDiesWithAKilledOwner() throws Exception {
        String name = objects.name("killed");
        try (JvmProcess owner = startOwner(name)) {
            owner.kill();
        }
        TestNames.assertNoSharedMemory(name);
    }

    @Test
    void aProcessThatOutlivesItsTimeoutIsKilled() throws Exception {
        String name = objects.name("slow");
        try (JvmProcess owner = startOwner(name)) {
            TimeoutException e = assertThrows(TimeoutException.class, () -> owner.waitFor(Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("was killed"), e.getMessage());
            assertFalse(owner.isAlive());
        }
        assertEquals(OsFamily.current().isPosix(), SharedMemory.unlink(name), "killed: on POSIX its name stays");
    }

    @Test
    void leftoversAreNoneAfterAll() {
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }
}
