package dev.shmipc.common;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * What {@link FfmPosixCalls} and {@link FfmWin32Calls} share: the linker, the error value each
 * call captures, and the view of a mapping.
 */
final class Ffm {
    private Ffm() {
    }

    static final Linker LINKER = Linker.nativeLinker();

    /**
     * One value the linker saves right after each call that names {@link #option}: {@code errno}
     * or {@code GetLastError()}. It is saved as the call returns because the JVM may itself call
     * into the OS before Java reads it (JNA saves it likewise). Each thread has its own segment,
     * freed with the thread; a call takes {@link #segment()} as its first argument.
     */
    static final class CapturedState {
        private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();

        final Linker.Option option;
        private final VarHandle value;
        private final ThreadLocal<MemorySegment> perThread = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(LAYOUT));

        CapturedState(String name) {
            option = Linker.Option.captureCallState(name);
            value = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
        }

        /** Where the next call on this thread saves the value. */
        MemorySegment segment() {
            return perThread.get();
        }

        /** The value the last such call on this thread saved. */
        int value() {
            return (int) value.get(perThread.get(), 0L);
        }
    }

    /**
     * A view of a mapping: a segment of its size in a shared arena, and the segment's buffer. The
     * arena is closed before the unmap, after which a buffer taken earlier throws
     * {@link IllegalStateException} instead of touching unmapped memory.
     */
    @SuppressWarnings("restricted") // reinterpret: only the OS knows that size bytes are mapped there
    static NativeCalls.View view(long address, long size) {
        Arena arena = Arena.ofShared();
        return NativeCalls.View.of(MemorySegment.ofAddress(address).reinterpret(size, arena, null).asByteBuffer(),
                arena::close);
    }

    /** A downcall handle throws no checked exception; whatever it throws is passed on as it is. */
    static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException e ? e : new IllegalStateException(t);
    }
}
