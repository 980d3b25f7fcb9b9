package dev.shmipc.common;

import java.time.Duration;

/**
 * A {@link NamedEvent} on Linux and macOS, over the control block's {@code state} word and
 * {@code waiters} count (see {@link PosixSync}): user space while the peer is quick, the
 * semaphore only for a waiter that has to sleep.
 *
 * <ul>
 *   <li>{@code set}: compare-and-set {@code state} from 0 to 1; if that changed it and
 *       {@code waiters} is not 0, post the semaphore. Sets while the event is set merge into
 *       one. With no one asleep, a set is one compare-and-set and one load.</li>
 *   <li>{@code await}: compare-and-set {@code state} from 1 to 0 (that reset is the auto-reset,
 *       and where the wait takes effect); else spin on {@code state} ({@link Spin}); else count
 *       itself into {@code waiters} and, until the deadline, try again before every sleep on the
 *       semaphore, in slices of at most {@value Deadline#SLICE_MILLIS} ms.</li>
 * </ul>
 *
 * <p>No set is lost: a setter changes {@code state}, then reads {@code waiters}; a sleeper
 * raises {@code waiters}, then reads {@code state}. Both are sequentially consistent, so at
 * least one of them sees the other's write: the setter posts, or the sleeper finds the event set
 * before it sleeps. A post that finds no one to wake (the waiter took the event on its own
 * meanwhile) stays in the semaphore and later wakes a sleeper early, which looks again and
 * sleeps on: a post is a reason to look, never a signal by itself.
 */
final class PosixEvent extends PosixSync implements Sync.Event {
    // In the slow path the compare-and-set alone: it reads the latest state, where a load may not.
    private final Look<Boolean> look = () -> control.compareAndSetInt(STATE_OFFSET, 1, 0) ? Boolean.TRUE : null;

    PosixEvent(ObjectName name, SharedMemory control, PosixSemaphore semaphore) {
        super(name, control, semaphore);
    }

    @Override
    public void set() {
        if (control.compareAndSetInt(STATE_OFFSET, 0, 1) && control.getIntVolatile(WAITERS_OFFSET) > 0) {
            semaphore.post();
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return await(timeout, Boolean.TRUE, look, Boolean.FALSE);
    }

    /** Resets the event if it is set: the reset is where a wait takes effect. */
    @Override
    boolean take() {
        return control.getIntAcquire(STATE_OFFSET) == 1 && control.compareAndSetInt(STATE_OFFSET, 1, 0);
    }
}
