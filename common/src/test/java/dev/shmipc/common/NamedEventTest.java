package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The named auto-reset event, in one process; {@link NamedSyncIT} crosses processes. */
class NamedEventTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(200);

    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        for (String name : objects.names()) {
            assertFalse(NamedEvent.unlink(name), "event '" + name + "' was left behind");
        }
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void aSetReleasesOneWaitAndResets() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false).unlinkOnExit();
             NamedEvent opened = NamedEvent.open(name)) {
            assertFalse(opened.await(Duration.ZERO), "created not set");
            event.set();
            assertTrue(opened.await(Duration.ZERO));
            assertFalse(event.await(Duration.ZERO), "auto-reset: the wait took it");
            event.unlink();
        }
    }

    @Test
    void anEventCreatedSetReleasesOneWait() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, true)) {
            assertTrue(event.await(Duration.ZERO));
            assertFalse(event.await(Duration.ZERO));
            event.unlink();
        }
    }

    @Test
    void settingTwiceBeforeAWaitReleasesOneWaitNotTwo() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            event.set();
            event.set();
            assertTrue(event.await(SHORT));
            assertFalse(event.await(SHORT), "a second set of a set event must not count");
            event.unlink();
        }
    }

    @Test
    void aWaitTimesOutNoSoonerThanAsked() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            long start = System.nanoTime();
            assertFalse(event.await(SHORT));
            assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "returned before its timeout");
            event.unlink();
        }
    }

    @Test
    void aSetFromAnotherThreadWakesAWaitingThread() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            CompletableFuture<Boolean> waiter = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try (NamedEvent mine = NamedEvent.open(name)) {
                    waiter.complete(mine.await(LONG));
                } catch (Throwable e) {
                    waiter.completeExceptionally(e);
                }
            });
            thread.start();
            Thread.sleep(SHORT.toMillis()); // most likely waiting by now; either order must work
            event.set();
            assertTrue(waiter.get(LONG.toSeconds(), TimeUnit.SECONDS));
            thread.join();
            event.unlink();
        }
    }

    @Test
    void twoThreadsPlayPingPongWithoutLosingASignal() throws Exception {
        String pingName = objects.name("ev");
        String pongName = objects.name("ev");
        int rounds = 5_000;
        try (NamedEvent ping = NamedEvent.create(pingName, false);
             NamedEvent pong = NamedEvent.create(pongName, false)) {
            AtomicBoolean echoed = new AtomicBoolean(true);
            Thread echo = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        if (!ping.await(LONG)) {
                            echoed.set(false);
                            return;
                        }
                        pong.set();
                    }
                } catch (InterruptedException e) {
                    echoed.set(false);
                }
            });
            echo.start();
            for (int i = 0; i < rounds; i++) {
                ping.set();
                assertTrue(pong.await(LONG), "round " + i);
            }
            echo.join();
            assertTrue(echoed.get());
            assertFalse(ping.await(Duration.ZERO));
            assertFalse(pong.await(Duration.ZERO));
            ping.unlink();
            pong.unlink();
        }
    }

    @Test
    void anInterruptedWaitThrows() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    outcome.complete(event.await(LONG));
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            thread.start();
            thread.interrupt();
            assertTrue(outcome.get(LONG.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException);
            thread.join();
            event.unlink();
        }
    }

    @Test
    void createFailsIfTheNameExistsAndOpenIfItDoesNot() throws Exception {
        String name = objects.name("ev");
        IpcException missing = assertThrows(IpcException.class, () -> NamedEvent.open(name));
        assertEquals(IpcException.Reason.NOT_FOUND, missing.reason());
        try (NamedEvent event = NamedEvent.create(name, false)) {
            IpcException taken = assertThrows(IpcException.class, () -> NamedEvent.create(name, true));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, taken.reason());
            assertEquals(name, taken.objectName());
            assertFalse(event.await(Duration.ZERO), "the failed create changed nothing");
            event.unlink();
        }
    }

    @Test
    void oneNameNamesOneObject() throws Exception {
        String name = objects.name("ev");
        try (SharedMemory shm = SharedMemory.create(name, 64)) {
            IpcException e = assertThrows(IpcException.class, () -> NamedEvent.create(name, false));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
            shm.unlink();
        }
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            IpcException e = assertThrows(IpcException.class, () -> NamedEvent.open(name));
            assertEquals(IpcException.Reason.OTHER, e.reason(), e.getMessage());
            mutex.unlink();
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAnError() {
        String name = objects.name("ev");
        NamedEvent event = NamedEvent.create(name, false);
        event.close();
        event.close();
        assertThrows(IllegalStateException.class, event::set);
        assertThrows(IllegalStateException.class, () -> event.await(Duration.ZERO));
        NamedEvent.unlink(name);
    }

    @Test
    void badTimeoutsAndNamesAreRejected() {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            assertThrows(IllegalArgumentException.class, () -> event.await(Duration.ofMillis(-1)));
            event.unlink();
        }
        assertThrows(IllegalArgumentException.class, () -> NamedEvent.create("bad/name", false));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixNamesStayUntilUnlinkedAndBothPartsGo() throws Exception {
        String name = objects.name("ev");
        NamedEvent.create(name, true).close();
        try (NamedEvent again = NamedEvent.open(name)) {
            assertTrue(again.await(Duration.ZERO), "the state outlived every handle");
            if (OsFamily.current() == OsFamily.LINUX) {
                assertTrue(Files.exists(Path.of("/dev/shm/sem." + name)), "the semaphore");
                assertTrue(Files.exists(Path.of("/dev/shm/" + name)), "the control block");
            }
            assertTrue(again.unlink());
            assertFalse(again.unlink());
        }
        assertEquals(IpcException.Reason.NOT_FOUND, assertThrows(IpcException.class, () -> NamedEvent.open(name)).reason());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixAWaitThatFindsTheFlagSetWithoutAPostStillSucceeds() throws Exception {
        // What a setter killed between its compare-and-set and its sem_post leaves behind.
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false);
             SharedMemory control = SharedMemory.open(name)) {
            control.setIntRelease(PosixSync.STATE_OFFSET, 1);
            assertTrue(event.await(SHORT));
            assertEquals(0, control.getIntAcquire(PosixSync.STATE_OFFSET));
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixASurplusPostIsNotASignal() throws Exception {
        // What a slow setter's late post leaves behind after the recovery above.
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false);
             PosixSemaphore semaphore = PosixSemaphore.open(ObjectName.of(name))) {
            semaphore.post();
            assertFalse(event.await(SHORT), "the flag is 0: the post is surplus");
            assertFalse(semaphore.tryAcquire(), "and the wait used it up");
            event.set();
            assertTrue(event.await(Duration.ZERO));
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixASetWithNoOneAsleepNeverPostsTheSemaphore() throws Exception {
        // The fast path: a set and a wait that meet in user space make no native call.
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false);
             PosixSemaphore semaphore = PosixSemaphore.open(ObjectName.of(name))) {
            event.set();
            assertFalse(semaphore.tryAcquire(), "no waiter was counted, so nothing was posted");
            assertTrue(event.await(Duration.ZERO));
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixASleepingWaiterIsCountedWokenByAPostAndCountedOut() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false);
             SharedMemory control = SharedMemory.open(name)) {
            CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
                try {
                    return event.await(LONG);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long until = System.nanoTime() + LONG.toNanos();
            while (control.getIntVolatile(PosixSync.WAITERS_OFFSET) == 0 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertEquals(1, control.getIntVolatile(PosixSync.WAITERS_OFFSET), "the waiter counted itself in");
            event.set();
            assertTrue(waited.get(30, TimeUnit.SECONDS));
            assertEquals(0, control.getIntVolatile(PosixSync.WAITERS_OFFSET), "and out");
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixAWaiterThatTimesOutOrIsInterruptedCountsItselfOut() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false);
             SharedMemory control = SharedMemory.open(name)) {
            assertFalse(event.await(SHORT));
            assertEquals(0, control.getIntVolatile(PosixSync.WAITERS_OFFSET), "after a timeout");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> event.await(LONG));
            assertEquals(0, control.getIntVolatile(PosixSync.WAITERS_OFFSET), "after an interrupt");
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixAWaiterCountThatADeadWaiterLeftOnlyCostsPosts() throws Exception {
        // A waiter killed while counted in leaves waiters at 1 for good: every set then posts,
        // and each post is surplus. The event still works as an event.
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false);
             SharedMemory control = SharedMemory.open(name);
             PosixSemaphore semaphore = PosixSemaphore.open(ObjectName.of(name))) {
            control.getAndAddInt(PosixSync.WAITERS_OFFSET, 1);
            event.set();
            assertTrue(event.await(Duration.ZERO));
            assertFalse(event.await(SHORT), "the surplus post is not a second signal");
            event.set();
            assertTrue(semaphore.tryAcquire(), "the set posted for the waiter it counted");
            assertTrue(event.await(SHORT));
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsEventDiesWithItsLastHandle() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            assertFalse(event.unlink(), "nothing to remove on Windows");
            try (NamedEvent opened = NamedEvent.open(name)) {
                opened.set();
            }
            assertTrue(event.await(Duration.ZERO));
        }
        assertEquals(IpcException.Reason.NOT_FOUND, assertThrows(IpcException.class, () -> NamedEvent.open(name)).reason());
    }

    @Test
    void concurrentSetsMergeAndLeaveAtMostOneSignal() throws Exception {
        String name = objects.name("ev");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            int setters = 3;
            int perSetter = 2_000;
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int s = 0; s < setters; s++) {
                running.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perSetter; i++) {
                        event.set();
                    }
                }));
            }
            int signals = 0;
            while (!running.stream().allMatch(CompletableFuture::isDone)) {
                if (event.await(Duration.ofMillis(1))) {
                    signals++;
                }
            }
            for (CompletableFuture<Void> setter : running) {
                setter.get(LONG.toSeconds(), TimeUnit.SECONDS);
            }
            int left = 0;
            while (event.await(Duration.ZERO)) {
                left++;
            }
            assertTrue(left <= 1, "an auto-reset event holds at most one set, not " + left);
            assertTrue(signals + left >= 1, "the sets released no wait at all");
            assertFalse(event.await(SHORT), "merged sets leave nothing behind");
            event.unlink();
        }
    }
}
