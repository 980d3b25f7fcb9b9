package dev.shmipc.common;

import java.nio.ByteBuffer;

/**
 * What both bindings of the native calls share: a Java view of memory the OS has mapped.
 * {@link PosixCalls} and {@link Win32Calls} are the seam between this layer and the OS; each has
 * a JNA implementation ({@code JnaPosixCalls}, {@code JnaWin32Calls}) and, on Java 22 and later,
 * one on {@code java.lang.foreign} ({@code FfmPosixCalls}, {@code FfmWin32Calls}).
 * {@link NativeBinding} picks one. Everything above the seam sees raw values only: ints, and
 * addresses and handles as {@code long}.
 */
interface NativeCalls {
    /** A {@link ByteBuffer} over {@code size} bytes at {@code address}, which the OS has mapped. */
    View view(long address, long size);

    /** Java's access to a mapping: the buffer, valid until {@link #close()}, which comes before the unmap. */
    interface View extends AutoCloseable {
        /** The whole mapping; its byte order is not yet native. */
        ByteBuffer buffer();

        /** Ends Java's access (FFM: closes the mapping's arena); the caller unmaps after. */
        @Override
        void close();

        /** A view of {@code buffer} that runs {@code close} when closed. */
        static View of(ByteBuffer buffer, Runnable close) {
            return new View() {
                @Override
                public ByteBuffer buffer() {
                    return buffer;
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }
}
