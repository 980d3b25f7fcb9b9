package dev.shmipc.common;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import java.time.Duration;

/** A {@link NamedEvent} on Windows: an auto-reset Win32 event, which resets itself as a wait returns. */
final class WindowsEvent extends WindowsSync implements Sync.Event {
    WindowsEvent(ObjectName name, WinNT.HANDLE handle) {
        super(name, handle);
    }

    /** {@code SetEvent}. */
    @Override
    public void set() {
        if (!Kernel32.INSTANCE.SetEvent(handle())) {
            throw WindowsBackend.error("SetEvent", name, Native.getLastError());
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return waitFor(Deadline.after(timeout)) == WinBase.WAIT_OBJECT_0;
    }
}
