package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The adaptive spin's budget, learnt from what the spins found. */
class SpinTest {
    @Test
    void aSpinThatPaysDoublesTheNextUpToTheMaximum() {
        Spin spin = new Spin(2);
        assertEquals(Spin.START, spin.budget());
        spin.paid();
        assertEquals(2 * Spin.START, spin.budget());
        for (int i = 0; i < 20; i++) {
            spin.paid();
        }
        assertEquals(Spin.MAX, spin.budget());
    }

    @Test
    void aSpinThatRunsOutHalvesTheNextDownToTheMinimum() {
        Spin spin = new Spin(2);
        spin.wasted();
        assertEquals(Spin.START / 2, spin.budget());
        for (int i = 0; i < 20; i++) {
            spin.wasted();
        }
        assertEquals(Spin.MIN, spin.budget());
        spin.paid();
        assertEquals(2 * Spin.MIN, spin.budget(), "and it grows again once spinning pays");
    }

    @Test
    void withOneCpuThereIsNoSpinAtAll() {
        Spin spin = new Spin(1);
        assertEquals(0, spin.budget());
        spin.paid();
        spin.wasted();
        assertEquals(0, spin.budget(), "the peer cannot run while this one spins");
    }
}
