package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NamedMutex.LockResult;
import dev.shmipc.common.PosixMutex.Holder;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;

/** The named mutex, in one process; {@link NamedSyncIT} kills a holder in another. */
class NamedMutexTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(200);

    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        for (String name : objects.names()) {
            assertFalse(NamedMutex.unlink(name), "mutex '" + name + "' was left behind");
        }
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    /** Runs {@code lock} on a thread of its own with its own handle, and unlocks if it got it. */
    private static LockResult lockElsewhere(String name, Duration timeout) throws Exception {
        CompletableFuture<LockResult> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (NamedMutex other = NamedMutex.open(name)) {
                result.complete(other.lock(timeout)); // close() unlocks it again
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        thread.join(LONG.toMillis());
        return result.get(LONG.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aLockedMutexKeepsOthersOutUntilUnlocked() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            assertEquals(LockResult.ACQUIRED, mutex.lock(Duration.ZERO));
            assertTrue(mutex.isHeldByCurrentThread());
            assertEquals(LockResult.TIMEOUT, lockElsewhere(name, SHORT));
            mutex.unlock();
            assertFalse(mutex.isHeldByCurrentThread());
            assertEquals(LockResult.ACQUIRED, lockElsewhere(name, SHORT));
            assertEquals(LockResult.ACQUIRED, mutex.lock(Duration.ZERO), "the other thread's close unlocked it");
            mutex.unlock();
            mutex.unlink();
        }
    }

    @Test
    void aMutexCreatedOwnedIsHeldByItsCreator() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, true)) {
            assertTrue(mutex.isHeldByCurrentThread());
            assertEquals(LockResult.TIMEOUT, lockElsewhere(name, SHORT));
            mutex.unlock();
            assertEquals(LockResult.ACQUIRED, lockElsewhere(name, SHORT));
            mutex.unlink();
        }
    }

    @Test
    void aLockTimesOutNoSoonerThanAsked() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, true)) {
            CompletableFuture<Long> waited = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try (NamedMutex other = NamedMutex.open(name)) {
                    long start = System.nanoTime();
                    LockResult result = other.lock(SHORT);
                    waited.complete(result == LockResult.TIMEOUT ? System.nanoTime() - start : -1);
                } catch (Throwable e) {
                    waited.completeExceptionally(e);
                }
            });
            thread.start();
            assertTrue(waited.get(LONG.toSeconds(), TimeUnit.SECONDS) >= SHORT.toNanos());
            thread.join();
            mutex.unlink();
        }
    }

    @Test
    void locksDoNotNestAndOnlyTheHolderUnlocks() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            assertThrows(IllegalStateException.class, mutex::unlock, "not locked");
            assertEquals(LockResult.ACQUIRED, mutex.lock(LONG));
            assertThrows(IllegalStateException.class, () -> mutex.lock(SHORT));
            CompletableFuture<Throwable> fromOtherThread = CompletableFuture.supplyAsync(() -> {
                try {
                    mutex.unlock();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertTrue(fromOtherThread.get(LONG.toSeconds(), TimeUnit.SECONDS) instanceof IllegalStateException);
            mutex.unlock();
            mutex.unlink();
        }
    }

    @Test
    void closeByTheHolderUnlocksAndIsIdempotent() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex keeper = NamedMutex.create(name, false)) {
            NamedMutex holder = NamedMutex.open(name);
            assertEquals(LockResult.ACQUIRED, holder.lock(LONG));
            holder.close();
            holder.close();
            assertThrows(IllegalStateException.class, () -> holder.lock(Duration.ZERO));
            assertEquals(LockResult.ACQUIRED, lockElsewhere(name, SHORT));
            keeper.unlink();
        }
    }

    @Test
    void threadsWithHandlesOfTheirOwnExcludeEachOther() throws Exception {
        String mutexName = objects.name("mx");
        String dataName = objects.name("mx");
        int threads = 4;
        int perThread = 2_000;
        try (NamedMutex creator = NamedMutex.create(mutexName, false);
             SharedMemory data = SharedMemory.create(dataName, 8)) {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(CompletableFuture.runAsync(() -> {
                    try (NamedMutex mine = NamedMutex.open(mutexName)) {
                        for (int i = 0; i < perThread; i++) {
                            assertEquals(LockResult.ACQUIRED, mine.lock(LONG));
                            // A plain read-modify-write: only the mutex keeps it from losing updates.
                            data.buffer().putInt(0, data.buffer().getInt(0) + 1);
                            mine.unlock();
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, command -> new Thread(command).start()));
            }
            for (CompletableFuture<Void> thread : running) {
                thread.get(2 * LONG.toSeconds(), TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, data.getIntAcquire(0));
            creator.unlink();
            data.unlink();
        }
    }

    @Test
    void anInterruptedLockThrows() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, true)) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try (NamedMutex other = NamedMutex.open(name)) {
                    outcome.complete(other.lock(LONG));
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            thread.start();
            thread.interrupt();
            assertTrue(outcome.get(LONG.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException);
            thread.join();
            mutex.unlink();
        }
    }

    @Test
    void createFailsIfTheNameExistsAndOpenIfItDoesNot() {
        String name = objects.name("mx");
        assertEquals(IpcException.Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> NamedMutex.open(name)).reason());
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            IpcException e = assertThrows(IpcException.class, () -> NamedMutex.create(name, true));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
            mutex.unlink();
        }
        try (NamedEvent event = NamedEvent.create(name, false)) {
            assertEquals(IpcException.Reason.OTHER,
                    assertThrows(IpcException.class, () -> NamedMutex.open(name)).reason());
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixHolderRecordTellsTheLivingFromTheDeadAndFromAReusedPid() throws Exception {
        assertTrue(Holder.isAlive(Holder.SELF), "this JVM");
        assertEquals(Holder.SELF, Holder.of(ProcessHandle.current()));
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Holder.isAlive(ended.pid() << 32), "a process that has ended");
        long sameProcessOtherStart = Holder.SELF ^ 1;
        assertFalse(Holder.isAlive(sameProcessOtherStart), "our pid, but a different start: a reused pid");
    }

    @Test
    void linuxStatIsReadFromTheLastParenthesis() {
        // comm is the executable's name, up to 15 bytes, and may hold spaces and parentheses.
        String rest = " 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 4294967301 0 0 0";
        Holder.LinuxStat stat = Holder.LinuxStat.parse("4242 (a) b (c) S 1" + rest).orElseThrow();
        assertEquals('S', stat.state);
        assertEquals(4294967301L, stat.startTicks, "field 22, starttime");
        assertFalse(stat.ended());
        assertTrue(Holder.LinuxStat.parse("4242 (x) Z 1" + rest).orElseThrow().ended(), "a zombie");
        assertTrue(Holder.LinuxStat.parse("4242 (x) S 1 0 0").isEmpty(), "too short");
        assertTrue(Holder.LinuxStat.parse("no parenthesis").isEmpty());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxHolderRecordCarriesAStartStamp() {
        assertEquals(ProcessHandle.current().pid(), Holder.SELF >>> 32);
        assertNotEquals(0, Holder.SELF & 0xFFFF_FFFFL, "starttime read from /proc/self/stat");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixALockTakesOverFromADeadHolder() throws Exception {
        // What a holder killed while holding leaves behind: its record in the lock word.
        String name = objects.name("mx");
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        try (NamedMutex mutex = NamedMutex.create(name, false);
             SharedMemory control = SharedMemory.open(name)) {
            control.setLongRelease(PosixSync.HOLDER_OFFSET, ended.pid() << 32);
            assertEquals(LockResult.ABANDONED, mutex.lock(LONG));
            assertEquals(Holder.SELF, control.getLongAcquire(PosixSync.HOLDER_OFFSET));
            assertEquals(LockResult.TIMEOUT, lockElsewhere(name, SHORT), "held by us now");
            mutex.unlock();
            assertEquals(0, control.getLongAcquire(PosixSync.HOLDER_OFFSET));
            assertEquals(LockResult.ACQUIRED, lockElsewhere(name, SHORT));
            mutex.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixAnUncontendedLockAndUnlockNeverTouchTheSemaphore() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, false);
             SharedMemory control = SharedMemory.open(name);
             PosixSemaphore semaphore = PosixSemaphore.open(ObjectName.of(name))) {
            assertEquals(LockResult.ACQUIRED, mutex.lock(Duration.ZERO));
            assertEquals(Holder.SELF, control.getLongAcquire(PosixSync.HOLDER_OFFSET), "the lock word is the holder");
            mutex.unlock();
            assertEquals(0, control.getLongAcquire(PosixSync.HOLDER_OFFSET));
            assertFalse(semaphore.tryAcquire(), "no waiter was counted, so nothing was posted");
            mutex.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void posixASleepingLockerIsCountedWokenByTheUnlockAndCountedOut() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, true);
             SharedMemory control = SharedMemory.open(name)) {
            CompletableFuture<LockResult> locked = new CompletableFuture<>();
            Thread other = new Thread(() -> {
                try (NamedMutex mine = NamedMutex.open(name)) {
                    LockResult result = mine.lock(LONG);
                    locked.complete(result);
                    if (result.acquired()) {
                        mine.unlock();
                    }
                } catch (Throwable e) {
                    locked.completeExceptionally(e);
                }
            });
            other.start();
            long until = System.nanoTime() + LONG.toNanos();
            while (control.getIntVolatile(PosixSync.WAITERS_OFFSET) == 0 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertEquals(1, control.getIntVolatile(PosixSync.WAITERS_OFFSET), "the locker counted itself in");
            mutex.unlock();
            assertEquals(LockResult.ACQUIRED, locked.get(30, TimeUnit.SECONDS));
            other.join(LONG.toMillis());
            assertEquals(0, control.getIntVolatile(PosixSync.WAITERS_OFFSET), "and out");
            assertEquals(LockResult.ACQUIRED, lockElsewhere(name, SHORT), "the other thread let go");
            mutex.unlink();
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsMutexDiesWithItsLastHandle() throws Exception {
        String name = objects.name("mx");
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            assertFalse(mutex.unlink(), "nothing to remove on Windows");
        }
        assertEquals(IpcException.Reason.NOT_FOUND, assertThrows(IpcException.class, () -> NamedMutex.open(name)).reason());
    }

    /** Runs {@code task} on a virtual thread, made by reflection: the project compiles for Java 17. */
    private static <T> T inVirtualThread(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        ((Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, body))
                .join(LONG.toMillis());
        return result.get(30, TimeUnit.SECONDS);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsAreRecognisedOnJava21AndLater() throws Exception {
        assertTrue(inVirtualThread(() -> WindowsMutex.isVirtual(Thread.currentThread())));
        assertFalse(WindowsMutex.isVirtual(Thread.currentThread()));
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    @EnabledForJreRange(min = JRE.JAVA_21)
    void windowsRefusesAVirtualThreadBecauseAWin32MutexBelongsToAnOsThread() throws Exception {
        String name = objects.name("mutex");
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> inVirtualThread(() -> mutex.lock(SHORT)));
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("use a platform thread"), e.getCause().getMessage());
            assertTrue(mutex.lock(SHORT).acquired(), "a platform thread still can");
            mutex.unlock();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    @EnabledForJreRange(min = JRE.JAVA_21)
    void posixLetsAVirtualThreadLockAndUnlock() throws Exception {
        String name = objects.name("mutex");
        try (NamedMutex mutex = NamedMutex.create(name, false)) {
            assertEquals(LockResult.ACQUIRED, inVirtualThread(() -> {
                LockResult result = mutex.lock(LONG);
                Thread.sleep(10); // may resume on another carrier: a semaphore belongs to no thread
                mutex.unlock();
                return result;
            }));
            mutex.unlink();
        }
    }
}
