package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestObjects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The increments in one process: any of them counts right alone; only the atomic one shared. */
class IncrementTest {
    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("increment");

    @AfterEach
    void nothingIsLeftBehind() {
        objects.assertNoneLeft();
    }

    @ParameterizedTest
    @EnumSource(Increment.class)
    void aloneEveryIncrementCountsExactly(Increment increment) {
        try (SharedMemory shm = SharedMemory.create(name, Contract.SIZE)) {
            increment.repeat(shm, Contract.COUNTER_OFFSET, 100_000);
            assertEquals(100_000, shm.getIntAcquire(Contract.COUNTER_OFFSET));
            shm.unlink();
        }
    }

    @Test
    void atomicFromFourThreadsIsExact() throws InterruptedException {
        try (SharedMemory shm = SharedMemory.create(name, Contract.SIZE)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threads.add(new Thread(() -> Increment.ATOMIC.repeat(shm, Contract.COUNTER_OFFSET, 100_000)));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(400_000, shm.getIntAcquire(Contract.COUNTER_OFFSET));
            shm.unlink();
        }
    }

    @Test
    void modesAreNamedAsOnTheCommandLine() {
        assertEquals(Increment.PLAIN, Increment.of("plain", false));
        assertEquals(Increment.ORDERED, Increment.of("ordered", false));
        assertEquals(Increment.ATOMIC, Increment.of("atomic", false));
        assertThrows(IllegalArgumentException.class, () -> Increment.of("locked", false));
    }
}
