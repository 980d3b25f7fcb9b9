package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseHelperTest {
    private final List<String> closed = new ArrayList<>();

    private AutoCloseable resource(String name, Exception failure) {
        return () -> {
            closed.add(name);
            if (failure != null) {
                throw failure;
            }
        };
    }

    @Test
    void closesEveryResourceInOrderAndSkipsNulls() {
        CloseHelper.closeAll(resource("a", null), null, resource("b", null));
        assertEquals(List.of("a", "b"), closed);
    }

    @Test
    void goesOnAfterAFailureAndThrowsTheFirstWithTheRestSuppressed() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> CloseHelper.closeAll(
                resource("a", first), resource("b", null), resource("c", second)));
        assertSame(first, thrown);
        assertEquals(List.of(second), List.of(thrown.getSuppressed()));
        assertEquals(List.of("a", "b", "c"), closed);
    }

    @Test
    void wrapsACheckedFailure() {
        IOException failure = new IOException("disk");
        UncheckedIOException thrown = assertThrows(UncheckedIOException.class,
                () -> CloseHelper.closeAll(resource("a", failure)));
        assertSame(failure, thrown.getCause());
    }
}
