package dev.shmipc.common;

/**
 * A {@link NamedEvent} on Linux and macOS: the auto-reset rules of its class comment, over the
 * {@code state} flag of the control block and the semaphore, which only wakes waiters.
 */
final class PosixEvent extends PosixSync implements Sync.Event {
    PosixEvent(ObjectName name, SharedMemory control, PosixSemaphore semaphore) {
        super(name, control, semaphore);
    }

    /** Only the caller that turns the flag from 0 to 1 posts: sets while it is 1 merge into one. */
    @Override
    public void set() {
        if (control.compareAndSetInt(STATE_OFFSET, 0, 1)) {
            semaphore.post();
        }
    }

    /** Takes the semaphore, then resets the flag: that reset is where the wait takes effect. */
    @Override
    public boolean await(Deadline deadline) throws InterruptedException {
        while (true) {
            if (semaphore.acquire(deadline.sliceEnd())) {
                if (control.compareAndSetInt(STATE_OFFSET, 1, 0)) {
                    return true;
                }
                continue; // a surplus post (see NamedEvent's class comment), not a signal
            }
            if (deadline.passed()) {
                // Set without a post: a setter between its two steps, or one that died there.
                return control.compareAndSetInt(STATE_OFFSET, 1, 0);
            }
            Deadline.checkInterrupt();
        }
    }
}
