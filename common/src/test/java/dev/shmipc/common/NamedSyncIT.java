package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.PosixMutex.Holder;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.Signals;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Events and mutexes between separate JVMs (see {@link SyncPeer}), and what they leave behind. */
class NamedSyncIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TestObjects objects = new TestObjects();

    /** Every name must be gone; whatever is not is removed, so that one failure stays one. */
    @AfterEach
    void nothingLeftBehind() {
        List<String> left = new ArrayList<>();
        for (String name : objects.names()) {
            if (NamedEvent.unlink(name) | NamedMutex.unlink(name)) {
                left.add(name);
            }
        }
        assertEquals(List.of(), left, "left behind");
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void eventsCarrySignalsBothWaysBetweenProcesses() throws Exception {
        String pingName = objects.name("ping");
        String pongName = objects.name("pong");
        int rounds = 2_000;
        try (NamedEvent ping = NamedEvent.create(pingName, false).unlinkOnExit();
             NamedEvent pong = NamedEvent.create(pongName, false).unlinkOnExit();
             JvmProcess echo = JvmProcess.start(SyncPeer.class, "echo", pingName, pongName, Integer.toString(rounds))) {
            echo.awaitLine("echoing"::equals, TIMEOUT);
            for (int i = 0; i < rounds; i++) {
                ping.set();
                assertTrue(pong.await(TIMEOUT), "no pong in round " + i + "; peer said " + echo.stdout());
            }
            assertEquals(0, echo.waitFor(TIMEOUT));
            assertTrue(echo.stdout().contains("echoed " + rounds), echo.stdout().toString());
            assertFalse(pong.await(Duration.ZERO), "one pong per ping");
            ping.unlink();
            pong.unlink();
        }
    }

    @Test
    void aHolderKilledWhileHoldingLeavesTheMutexAbandoned() throws Exception {
        String name = objects.name("abandon");
        try (NamedMutex mutex = NamedMutex.create(name, false).unlinkOnExit();
             JvmProcess holder = JvmProcess.start(SyncPeer.class, "hold", name)) {
            holder.awaitLine("holding ACQUIRED"::equals, TIMEOUT);
            assertEquals(LockResult.TIMEOUT, mutex.lock(Duration.ofMillis(300)), "held by a live process");
            holder.kill(); // SIGKILL or TerminateProcess: nothing of its own runs
            assertEquals(LockResult.ABANDONED, mutex.lock(TIMEOUT));
            mutex.unlock();
            assertEquals(LockResult.ACQUIRED, mutex.lock(TIMEOUT), "an ordinary mutex again");
            mutex.unlock();
            mutex.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anotherJvmComputesTheSameHolderRecordForThisProcess() throws Exception {
        // If two JVMs disagreed, a waiter would take a live holder for dead and take over.
        try (JvmProcess peer = JvmProcess.start(SyncPeer.class, "stamp", Long.toString(ProcessHandle.current().pid()))) {
            assertEquals(0, peer.waitFor(TIMEOUT), peer.stderr().toString());
            assertEquals(List.of(Long.toHexString(Holder.SELF)), peer.stdout());
        }
        assertTrue(Holder.isAlive(Holder.SELF));
    }

    @Test
    void twoWaitersOnAnAbandonedMutexGetItOneAfterTheOther() throws Exception {
        String name = objects.name("race");
        try (NamedMutex mutex = NamedMutex.create(name, false).unlinkOnExit();
             JvmProcess holder = JvmProcess.start(SyncPeer.class, "hold", name)) {
            holder.awaitLine("holding ACQUIRED"::equals, TIMEOUT);
            CountDownLatch opened = new CountDownLatch(2);
            List<CompletableFuture<LockResult>> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(CompletableFuture.supplyAsync(() -> {
                    try (NamedMutex mine = NamedMutex.open(name)) {
                        opened.countDown();
                        return mine.lock(TIMEOUT); // close() unlocks it for the other waiter
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, command -> new Thread(command).start()));
            }
            assertTrue(opened.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            Thread.sleep(300); // let both reach lock(); the outcome must not depend on it
            holder.kill();
            List<LockResult> results = new ArrayList<>();
            for (CompletableFuture<LockResult> waiter : waiters) {
                results.add(waiter.get(2 * TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            results.sort(null);
            assertEquals(List.of(LockResult.ACQUIRED, LockResult.ABANDONED), results,
                    "exactly one waiter is told the holder died; the other gets the mutex after it");
            mutex.unlink();
        }
    }

    @Test
    void aHolderThatExitsWithoutUnlockingLeavesTheMutexAbandoned() throws Exception {
        String name = objects.name("exited");
        try (NamedMutex mutex = NamedMutex.create(name, false).unlinkOnExit();
             JvmProcess holder = JvmProcess.start(SyncPeer.class, "exit", name)) {
            assertEquals(0, holder.waitFor(TIMEOUT));
            assertEquals(List.of("holding ACQUIRED"), holder.stdout());
            assertEquals(LockResult.ABANDONED, mutex.lock(TIMEOUT));
            mutex.unlock();
            mutex.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCRemovesEveryPosixName() throws Exception {
        String eventName = objects.name("intev");
        String mutexName = objects.name("intmx");
        try (JvmProcess owner = JvmProcess.start(SyncPeer.class, "own", eventName, mutexName)) {
            owner.awaitLine("ready"::equals, TIMEOUT);
            NamedEvent.open(eventName).close();
            NamedMutex.open(mutexName).close();
            Signals.interrupt(owner);
            assertEquals(130, owner.waitFor(TIMEOUT), "128 + SIGINT");
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void sigkillLeavesPosixNamesForUnlinkToRemove() throws Exception {
        String eventName = objects.name("killev");
        String mutexName = objects.name("killmx");
        try (JvmProcess owner = JvmProcess.start(SyncPeer.class, "own", eventName, mutexName)) {
            owner.awaitLine("ready"::equals, TIMEOUT);
            owner.kill();
        }
        assertTrue(NamedEvent.unlink(eventName), "the killed owner left its event");
        assertTrue(NamedMutex.unlink(mutexName), "and its mutex");
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsObjectsDieWithAKilledOwner() throws Exception {
        String eventName = objects.name("killev");
        String mutexName = objects.name("killmx");
        try (JvmProcess owner = JvmProcess.start(SyncPeer.class, "own", eventName, mutexName)) {
            owner.awaitLine("ready"::equals, TIMEOUT);
            owner.kill();
        }
        assertEquals(IpcException.Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> NamedEvent.open(eventName)).reason());
        assertEquals(IpcException.Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> NamedMutex.open(mutexName)).reason());
    }
}
