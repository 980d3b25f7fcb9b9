package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code --remove-stale}'s checks, in process: what counts as this module's. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class StaleObjectsTest {
    private final TestRuns runs = new TestRuns();
    private final String base = runs.base();
    private final Contract.Names names = TestRuns.names(base);

    @AfterEach
    void nothingLeftBehind() {
        runs.assertNoneLeft();
    }

    /** Runs the removal and returns what was done with the object {@code what} ("mapping BASE.map", ...). */
    private StaleObjects.Outcome outcomeFor(String what) {
        return StaleObjects.remove(names).stream().filter(outcome -> outcome.line().startsWith(what + ": "))
                .findFirst().orElseThrow(() -> new AssertionError("no outcome for " + what));
    }

    @Test
    void aJavaClientsMappingIsMarked() {
        try (Channel client = Channel.create(names)) {
            assertEquals(Contract.MAPPING_SIZE, client.buffer.size());
            assertEquals(Contract.MARK, client.buffer.getLongAcquire(Contract.MARK_OFFSET));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theArticlesOneRecordMappingIsThisModules() {
        SharedMemory.create(names.mapping(), FindData.SIZE).close();
        assertEquals("mapping " + base + ".map: removed (one record and no mark: the article's C++ client's)",
                outcomeFor("mapping " + base + ".map").line());
    }

    @Test
    void anUnmarkedMappingOfTheJavaClientsSizeIsLeft() {
        try (SharedMemory written = SharedMemory.create(names.mapping(), Contract.MAPPING_SIZE)) {
            written.buffer().put(0, (byte) 1); // someone's data; the name stays after close
        }
        StaleObjects.Outcome outcome = outcomeFor("mapping " + base + ".map");
        assertTrue(outcome.refused(), outcome.line());
        assertTrue(outcome.line().startsWith("mapping " + base + ".map: not this module's: left it ("), outcome.line());
        assertTrue(SharedMemory.unlink(names.mapping()), "left in place");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // exact sizes, and /proc shows that no process uses it
    void aBlankMappingOfTheJavaClientsSizeThatNoOneUsesIsRemoved() {
        // What a client killed between creating its mapping and marking it leaves.
        SharedMemory.create(names.mapping(), Contract.MAPPING_SIZE).close();
        assertEquals("mapping " + base + ".map: removed (nothing written: its client was stopped before it marked it)",
                outcomeFor("mapping " + base + ".map").line());
    }

    @Test
    void anEventItsCreatorLeftHalfMadeIsRemoved() {
        // What a client killed between the control block and the semaphore leaves: the block alone.
        SharedMemory.create(names.serverNewData(), NamedEvent.POSIX_CONTROL_BLOCK_SIZE).close();
        assertEquals("event " + base + ".new: removed (half made: its creator was stopped before it finished)",
                outcomeFor("event " + base + ".new").line());
        assertFalse(NamedEvent.unlink(names.serverNewData()), "gone");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // elsewhere sizes are whole pages, and a page may be a control block
    void aLargerMappingUnderAnEventsNameIsLeft() {
        SharedMemory.create(names.clientReadFinish(), 4096).close();
        StaleObjects.Outcome outcome = outcomeFor("event " + base + ".read");
        assertTrue(outcome.refused());
        assertEquals("event " + base + ".read: not this module's: left it (a mapping of 4096 bytes)", outcome.line());
        assertTrue(SharedMemory.unlink(names.clientReadFinish()), "left in place");
    }
}
