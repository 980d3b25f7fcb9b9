package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The project's one liveness rule: a process that has ended is dead, reaped or not. */
class ProcessesTest {
    @Test
    void thisProcessIsAliveAndANonPidIsNot() {
        assertTrue(Processes.isAlive(ProcessHandle.current().pid()));
        assertFalse(Processes.isAlive(0));
        assertFalse(Processes.isAlive(-1));
    }

    @Test
    void anEndedAndReapedProcessIsDead() throws Exception {
        Process child = new ProcessBuilder(OsFamily.current() == OsFamily.WINDOWS
                ? new String[] {"cmd", "/c", "exit"} : new String[] {"true"}).start();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS)); // waitFor reaps it
        assertFalse(Processes.isAlive(child.pid()));
    }

    /**
     * A zombie: the shell starts a short sleep in the background, prints its pid, and becomes
     * (exec) a long sleep, which never calls wait. The short sleep ends and stays a zombie of
     * the long one until that ends too. ProcessHandle.isAlive() counts it as alive on Linux.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aZombieIsDead() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $!; exec sleep 60").start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            long zombie = Long.parseLong(out.readLine().trim());
            assertTrue(Processes.isAlive(parent.pid()), "the parent sleeps on");
            assertEquals('Z', awaitZombie(zombie), "the child ended and was not reaped");
            assertFalse(Processes.isAlive(zombie), "a zombie has ended: dead");
        } finally {
            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until process {@code pid} is a zombie; returns its state (field 3 of /proc/<pid>/stat). */
    private static char awaitZombie(long pid) throws Exception {
        char state = '?';
        for (int i = 0; i < 300 && state != 'Z'; i++) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                state = stat.charAt(stat.lastIndexOf(')') + 2);
            } catch (NoSuchFileException e) {
                return 'X'; // reaped after all: someone else waited for it
            }
            if (state != 'Z') {
                Thread.sleep(100);
            }
        }
        return state;
    }
}
