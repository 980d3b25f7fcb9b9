package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The adaptive spin's limit, learnt from what the spins found. */
class SpinTest {
    @Test
    void itStartsLongAndHalvesAfterEachSpinThatRanOut() {
        Spin spin = new Spin(2);
        assertEquals(Spin.MAX_NANOS, spin.limit(), "the first waits find out");
        spin.missed(2);
        assertEquals(Spin.MAX_NANOS / 2, spin.limit());
        for (int i = 0; i < 20; i++) {
            spin.missed(2);
        }
        assertEquals(Spin.MIN_NANOS, spin.limit());
    }

    @Test
    void aSpinThatTookLateAsksForTwiceAsLongOneThatTookEarlyForNoMore() {
        Spin spin = new Spin(2);
        for (int i = 0; i < 6; i++) {
            spin.missed(2);
        }
        long limit = spin.limit();
        spin.took(limit / 4, limit);
        assertEquals(limit, spin.limit(), "it was long enough");
        spin.took(limit * 3 / 4, limit);
        assertEquals(2 * limit, spin.limit(), "it only just was");
    }

    @Test
    void afterManySpinsThatRanOutOneProbesWithTheLongest() {
        Spin spin = new Spin(2);
        for (int i = 1; i < Spin.PROBE_EVERY; i++) {
            spin.missed(2);
            assertEquals(Spin.MIN_NANOS, Math.min(spin.limit(), Spin.MIN_NANOS), "never below the minimum");
        }
        assertEquals(Spin.MIN_NANOS, spin.limit());
        spin.missed(2);
        assertEquals(Spin.MAX_NANOS, spin.limit(), "the probe");
        spin.took(20_000, Spin.MAX_NANOS);
        assertEquals(Spin.MIN_NANOS, spin.limit(), "a probe that found the peer early does not raise the limit");
        spin.missed(2);
        assertEquals(Spin.MIN_NANOS, spin.limit(), "and the count of misses starts again");
    }

    @Test
    void withOneCpuTheSpinYieldsAndTheCountIsTakenAgainAfterEachMiss() {
        assertTrue(new Spin(1).yields(), "the peer runs only if this thread gives up the CPU");
        Spin spin = new Spin(2);
        assertFalse(spin.yields());
        spin.missed(1);
        assertTrue(spin.yields(), "pinned to one CPU since");
        spin.missed(2);
        assertFalse(spin.yields());
    }
}
