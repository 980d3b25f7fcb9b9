package dev.shmipc.common.program;

import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.OsFamily;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which processes still use a POSIX shared-memory object: what tells a live owner's object from
 * one a dead run left behind. Only Linux can answer, from {@code /proc}: each process lists its
 * mappings in {@code /proc/PID/maps} and its open files in {@code /proc/PID/fd}, and an object
 * named {@code /NAME} is the file {@code /dev/shm/NAME} there. macOS has no such list for POSIX
 * shared memory, and on Windows an object exists only while a process holds it.
 *
 * <p>Only processes whose {@code /proc} entries this user may read are seen. That is enough: an
 * object is created with mode 0600, so only its own user's processes (and root's) can open it.
 * An event or mutex counts through its control block, which shares its name.
 *
 * <p>This is what every {@code --remove-stale} asks before it removes a name: an object that a
 * live process still uses was not left by a crash.
 */
public final class Holders {
    private static final Path PROC = Path.of("/proc");

    private Holders() {
    }

    /**
     * The ids of the processes other than this one that have {@code name} mapped or open, in
     * ascending order; empty if none; {@link Optional#empty()} where the OS cannot tell.
     */
    public static Optional<List<Long>> of(String name) {
        return of(ObjectName.of(name));
    }

    /** As {@link #of(String)}, for a name already checked. */
    public static Optional<List<Long>> of(ObjectName name) {
        if (OsFamily.current() != OsFamily.LINUX || !Files.isDirectory(PROC.resolve("self"))) {
            return Optional.empty();
        }
        String file = "/dev/shm" + name.nativeName();
        long self = ProcessHandle.current().pid();
        List<Long> holders = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long pid;
                try {
                    pid = Long.parseLong(process.getFileName().toString());
                } catch (NumberFormatException notAProcess) {
                    continue;
                }
                if (pid != self && (maps(process, file) || hasOpen(process, file))) {
                    holders.add(pid);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return Optional.empty();
        }
        holders.sort(null);
        return Optional.of(holders);
    }

    /**
     * Linux: true if {@code shm} holds only zeros and no other process has it mapped or open:
     * what a creator killed between making an object and writing its first byte leaves. A
     * {@code --remove-stale} that has checked the size is its own may remove it. False elsewhere,
     * where no one can tell who uses an object.
     */
    public static boolean abandonedBlank(SharedMemory shm) {
        if (OsFamily.current() != OsFamily.LINUX) {
            return false;
        }
        ByteBuffer bytes = shm.buffer();
        for (int i = 0; i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return of(shm.name()).map(List::isEmpty).orElse(false);
    }

    /** A mapping's line ends in its file's path; a removed file's in {@code " (deleted)"}. */
    private static boolean maps(Path process, String file) {
        try (BufferedReader maps = Files.newBufferedReader(process.resolve("maps"))) {
            for (String line; (line = maps.readLine()) != null; ) {
                if (line.endsWith(" " + file)) {
                    return true;
                }
            }
        } catch (IOException | SecurityException gone) {
            // Ended meanwhile, or another user's: it cannot hold this user's 0600 object.
        }
        return false;
    }

    private static boolean hasOpen(Path process, String file) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(file)) {
                        return true;
                    }
                } catch (IOException | SecurityException closed) {
                    // closed meanwhile
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException gone) {
            // as above (a directory being read fails this way when its process ends meanwhile)
        }
        return false;
    }
}
