package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code --remove-stale}'s checks, in process: what counts as this module's. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class StaleObjectsTest {
    private final String base = TestNames.unique("stale");
    private final Contract.Names names = Contract.Names.of(base);

    @AfterEach
    void nothingLeftBehind() {
        Channel.removeAll(names);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    private List<String> lines() {
        return StaleObjects.remove(names).stream().map(StaleObjects.Outcome::line).collect(Collectors.toList());
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
        SharedMemory.create(names.mapping(), Contract.RECORD_SIZE).close();
        assertEquals("mapping " + base + ".map: removed (one record and no mark: the article's C++ client's)", lines().get(0));
    }

    @Test
    void anUnmarkedMappingOfTheJavaClientsSizeIsLeft() {
        try (SharedMemory written = SharedMemory.create(names.mapping(), Contract.MAPPING_SIZE)) {
            written.buffer().put(0, (byte) 1); // someone's data; the name stays after close
        }
        List<StaleObjects.Outcome> outcomes = StaleObjects.remove(names);
        assertTrue(outcomes.get(0).refused(), outcomes.get(0).line());
        assertTrue(outcomes.get(0).line().startsWith("mapping " + base + ".map: not this module's: left it ("));
        SharedMemory.open(names.mapping()).close();
    }

    @Test
    @EnabledOnOs(OS.LINUX) // exact sizes, and /proc shows that no process uses it
    void aBlankMappingOfTheJavaClientsSizeThatNoOneUsesIsRemoved() {
        // What a client killed between creating its mapping and marking it leaves.
        SharedMemory.create(names.mapping(), Contract.MAPPING_SIZE).close();
        assertEquals("mapping " + base + ".map: removed (nothing written: its client was stopped before it marked it)",
                lines().get(0));
    }

    @Test
    void anEventItsCreatorLeftHalfMadeIsRemoved() {
        // What a client killed between the control block and the semaphore leaves: the block alone.
        SharedMemory.create(names.serverNewData(), 16).close();
        assertEquals("event " + base + ".new: removed (half made: its creator was stopped before it finished)",
                lines().get(1));
        assertFalse(NamedEvent.unlink(names.serverNewData()), "gone");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // elsewhere sizes are whole pages, and a page may be a control block
    void aLargerMappingUnderAnEventsNameIsLeft() {
        SharedMemory.create(names.clientReadFinish(), 4096).close();
        try {
            StaleObjects.Outcome outcome = StaleObjects.remove(names).get(2);
            assertTrue(outcome.refused());
            assertEquals("event " + base + ".read: not this module's: left it (a mapping of 4096 bytes)", outcome.line());
        } finally {
            SharedMemory.unlink(names.clientReadFinish());
        }
    }
}
