package dev.shmipc.common.testing;

import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The names one test uses: each unique to this test JVM ({@link TestNames#unique}), remembered
 * so that the check after the test can find whatever the test, or the programs it drove, left
 * behind. Make one per test instance and check it in an {@code @AfterEach}.
 */
public final class TestObjects {
    private final List<String> names = new ArrayList<>();

    /** A new unique name, remembered for the checks below. */
    public String name(String prefix) {
        String name = TestNames.unique(prefix);
        names.add(name);
        return name;
    }

    /** Every name handed out so far, for checks of other kinds of object (events, mutexes). */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** Removes whatever shared memory a test left: for tests whose subject is not the cleanup itself. */
    public void removeAll() {
        names.forEach(SharedMemory::unlink);
    }

    /**
     * Asserts that nothing of these names is left, and removes what is, so that one failure does
     * not leak into the next test: no shared memory (see {@link TestNames#assertNoSharedMemory}),
     * and on Linux no semaphore either ({@code /dev/shm/sem.<name>}, what an event or mutex
     * leaves besides its control block).
     */
    public void assertNoneLeft() {
        List<String> semaphores = new ArrayList<>();
        for (String name : names) {
            Path semaphore = Path.of("/dev/shm", "sem." + name);
            try {
                if (OsFamily.current() == OsFamily.LINUX && Files.deleteIfExists(semaphore)) {
                    semaphores.add(semaphore.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        TestNames.assertNoSharedMemory(names.toArray(String[]::new));
        if (!semaphores.isEmpty()) {
            throw new AssertionError("semaphores left behind: " + semaphores);
        }
    }
}
