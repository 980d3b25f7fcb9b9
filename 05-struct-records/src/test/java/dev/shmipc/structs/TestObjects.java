package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import java.util.ArrayList;
import java.util.List;

/** The shared-memory names one test uses: unique to this test JVM, and removed after the test. */
final class TestObjects {
    private final List<String> names = new ArrayList<>();

    /** A new unique name, remembered for {@link #removeAll()} and {@link #assertNoneLeft()}. */
    String name(String prefix) {
        String name = TestNames.unique(prefix);
        names.add(name);
        return name;
    }

    /** Removes whatever a test left: for tests whose subject is not the cleanup itself. */
    void removeAll() {
        names.forEach(SharedMemory::unlink);
    }

    /** Asserts that the programs under test removed every object (and removes any they left). */
    void assertNoneLeft() {
        TestNames.assertNoSharedMemory(names.toArray(String[]::new));
    }
}
