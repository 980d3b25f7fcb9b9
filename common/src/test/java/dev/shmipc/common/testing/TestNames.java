package dev.shmipc.common.testing;

import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Unique object names for tests, and the check that a test left none of them behind: the
 * support every module's tests share (and yours may use). It needs no test framework; a failed
 * check throws {@link AssertionError}.
 *
 * <p>Every name holds a token unique to this test JVM ({@code t<pid>}), so parallel runs and
 * leftovers of earlier runs never collide, and on Linux a test can list whatever this JVM's
 * tests left in {@code /dev/shm}, whatever kind of object it is.
 */
public final class TestNames {
    private static final String TOKEN = "t" + Long.toString(ProcessHandle.current().pid(), 36);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {
    }

    /** A new name, {@code <prefix>-t<pid>-<n>}; the prefix is cut to keep within the name limit. */
    public static String unique(String prefix) {
        String suffix = "-" + TOKEN + "-" + COUNTER.incrementAndGet();
        String head = prefix.substring(0, Math.min(prefix.length(), ObjectName.MAX_LENGTH - suffix.length()));
        return head + suffix;
    }

    /**
     * Asserts that no shared-memory object of these names exists, removing any that does so that
     * one failure does not leak into the next test. On Windows an object exists while any process
     * holds a handle; there the check opens it by name.
     */
    public static void assertNoSharedMemory(String... names) {
        for (String name : names) {
            boolean existed;
            if (OsFamily.current().isPosix()) {
                existed = SharedMemory.unlink(name);
            } else {
                try {
                    SharedMemory.open(name).close();
                    existed = true;
                } catch (dev.shmipc.common.IpcException e) {
                    if (e.reason() != dev.shmipc.common.IpcException.Reason.NOT_FOUND) {
                        throw e; // access denied and the like say nothing about absence
                    }
                    existed = false;
                }
            }
            if (existed) {
                throw new AssertionError("shared memory '" + name + "' was left behind");
            }
        }
    }

    /**
     * On Linux, the entries of {@code /dev/shm} that this JVM's tests made (shared memory and
     * {@code sem.*} semaphores alike); empty elsewhere, where named objects have no directory.
     */
    public static List<String> leftoversInDevShm() {
        Path devShm = Path.of("/dev/shm");
        if (OsFamily.current() != OsFamily.LINUX || !Files.isDirectory(devShm)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(devShm)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("-" + TOKEN + "-"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
