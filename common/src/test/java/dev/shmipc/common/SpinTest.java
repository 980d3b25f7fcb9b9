package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The adaptive spin's limit, learnt from how long the waits took. */
class SpinTest {
    @Test
    void aWaitThatSleptButWasWokenSoonLengthensTheSpinToCoverIt() {
        Spin spin = new Spin(2);
        assertEquals(Spin.START_NANOS, spin.limit());
        spin.slept(30_000, true);
        assertEquals(60_000, spin.limit(), "twice the wait: the next such wait is met spinning");
        spin.slept(40_000, true);
        assertEquals(Spin.MAX_NANOS, spin.limit(), "twice the limit, at most the maximum");
    }

    @Test
    void aLongSleepOrATimeoutShortensTheSpinDownToTheMinimum() {
        Spin spin = new Spin(2);
        spin.slept(Spin.MAX_NANOS, true);
        assertEquals(Spin.START_NANOS / 2, spin.limit(), "a peer this slow is not worth spinning for");
        spin.slept(1_000, false);
        assertEquals(Spin.START_NANOS / 4, spin.limit(), "a timeout neither");
        for (int i = 0; i < 20; i++) {
            spin.slept(1_000_000, true);
        }
        assertEquals(Spin.MIN_NANOS, spin.limit());
        spin.slept(2_000, true);
        assertEquals(4_000, spin.limit(), "and it grows again once a longer spin would pay");
    }

    @Test
    void withOneCpuThereIsNoSpinAtAll() {
        Spin spin = new Spin(1);
        assertEquals(0, spin.limit());
        spin.slept(1_000, true);
        spin.slept(1_000_000, false);
        assertEquals(0, spin.limit(), "the peer cannot run while this one spins");
    }
}
