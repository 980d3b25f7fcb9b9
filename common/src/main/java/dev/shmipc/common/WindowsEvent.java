package dev.shmipc.common;

import java.time.Duration;

/** A {@link NamedEvent} on Windows: an auto-reset Win32 event, which resets itself as a wait returns. */
final class WindowsEvent extends WindowsSync implements Sync.Event {
    WindowsEvent(Win32Calls c, ObjectName name, long handle) {
        super(c, name, handle);
    }

    /** {@code SetEvent}. */
    @Override
    public void set() {
        if (!c.setEvent(handle())) {
            throw WindowsBackend.error("SetEvent", name, c.lastError());
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return waitFor(Deadline.after(timeout)) == Win32.WAIT_OBJECT_0;
    }
}
