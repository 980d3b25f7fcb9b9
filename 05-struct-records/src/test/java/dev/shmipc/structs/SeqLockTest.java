package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.GuardedRecord.Copy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sequence lock in one process: two threads, two mappings of the same object. */
class SeqLockTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
    }

    @Test
    void aReaderUnderTheLockNeverKeepsATornCopy() throws Exception {
        String name = objects.name("seqlock");
        try (SharedMemory writerSide = SharedMemory.create(name, GuardedRecord.SIZE).unlinkOnExit();
             SharedMemory readerSide = SharedMemory.open(name, GuardedRecord.SIZE)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                SeqLock lock = new SeqLock(writerSide, GuardedRecord.SEQUENCE_OFFSET);
                DelphiRecord record = new DelphiRecord(writerSide.buffer(), GuardedRecord.RECORD_OFFSET);
                for (int n = 1; !stop.get(); n++) {
                    int update = n;
                    lock.write(() -> GuardedRecord.put(record, update));
                }
            }, "churn");
            writer.start();
            try {
                SeqLock lock = new SeqLock(readerSide, GuardedRecord.SEQUENCE_OFFSET);
                DelphiRecord record = new DelphiRecord(readerSide.buffer(), GuardedRecord.RECORD_OFFSET);
                int previous = 0;
                for (int i = 0; i < 200_000; i++) {
                    Copy copy = lock.read(() -> GuardedRecord.copy(record), TIMEOUT);
                    assertTrue(copy.consistent(), () -> "torn copy " + copy);
                    assertTrue(copy.valint() >= previous, "updates never go back");
                    previous = copy.valint();
                }
            } finally {
                stop.set(true);
                writer.join(TIMEOUT.toMillis());
            }
            writerSide.unlink();
        }
    }

    @Test
    void aWordLeftOddByADeadWriterEndsInATimeoutNotAHang() {
        String name = objects.name("seqdead");
        try (SharedMemory shm = SharedMemory.create(name, GuardedRecord.SIZE).unlinkOnExit()) {
            shm.setLongRelease(GuardedRecord.SEQUENCE_OFFSET, 5); // died in its third update
            SeqLock lock = new SeqLock(shm, GuardedRecord.SEQUENCE_OFFSET);
            IpcException e = assertThrows(IpcException.class, () -> lock.read(() -> 0, Duration.ofMillis(50)));
            assertEquals(IpcException.Reason.TIMEOUT, e.reason());
            assertTrue(lock.retries() > 0);

            lock.write(() -> { });
            assertEquals(8, lock.sequence(), "the next writer skips to an odd value of its own, then even");
            assertEquals(0, lock.read(() -> 0, Duration.ofMillis(50)));
            shm.unlink();
        }
    }

    @Test
    void theWordMustBeAligned() {
        String name = objects.name("seqalign");
        try (SharedMemory shm = SharedMemory.create(name, 64).unlinkOnExit()) {
            assertThrows(IllegalArgumentException.class, () -> new SeqLock(shm, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> new SeqLock(shm, shm.size()));
            shm.unlink();
        }
    }
}
