package dev.shmipc.common;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Closing several resources so that one failure does not leave the others open, as Agrona's
 * {@code CloseHelper.closeAll} does.
 */
public final class CloseHelper {
    private CloseHelper() {
    }

    /**
     * Closes every resource in order, skipping nulls, and goes on after one fails. The first
     * failure is thrown once all are closed, with the later ones added to it as suppressed; a
     * checked one is wrapped ({@link UncheckedIOException} for an {@link IOException}).
     */
    public static void closeAll(AutoCloseable... resources) {
        Throwable first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        if (first instanceof RuntimeException) {
            throw (RuntimeException) first;
        }
        if (first instanceof Error) {
            throw (Error) first;
        }
        if (first instanceof IOException) {
            throw new UncheckedIOException((IOException) first);
        }
        if (first != null) {
            throw new IllegalStateException("closing failed", first);
        }
    }
}
