package dev.shmipc.basic;

import dev.shmipc.common.program.Holders;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What is under a name a writer wants (Linux and macOS, where a name outlives its creator), and
 * whether {@code Writer --remove-stale} may remove it. It may only if the object is this
 * module's, judged by its size and its bytes, and, on Linux, if no process has it mapped.
 * Module 04 uses the article's name {@code www.cpp-blog.com} too: its mapping (a 592-byte
 * record, then a run token) is neither a frames area nor a message mapping, and while 04 runs
 * its client or server has it mapped.
 */
final class Leftover {
    /** What was found. */
    enum State {
        /** No object of that name. */
        NOTHING,
        /** This module's, and no process has it mapped (on macOS: no one can tell). */
        STALE,
        /** This module's, and a process has it mapped. */
        IN_USE,
        /** Not this module's. */
        NOT_OURS,
        /**
         * Not readable as shared memory at all: a directory, a FIFO, or an object of no size yet
         * (which a writer killed between {@code shm_open} and {@code ftruncate} leaves too: no
         * one can tell whose it is, so it is left for the user to remove).
         */
        UNREADABLE
    }

    final State state;
    /** What the object is, or why it is not this module's, or who has it mapped. */
    final String detail;

    private Leftover(State state, String detail) {
        this.state = state;
        this.detail = detail;
    }

    /** True where a mapping can be seen from outside its process: Linux, through {@code /proc} ({@link Holders}). */
    static boolean usersVisible() {
        return OsFamily.current() == OsFamily.LINUX;
    }

    /** Looks at the object {@code name} without changing it, as {@code expected} of {@code size} bytes. */
    static Leftover inspect(String name, Contract.Area expected, int size) {
        String what = expected == Contract.Area.FRAMES ? "01's frames area" : "01's message mapping";
        byte[] area;
        try (SharedMemory shm = SharedMemory.open(name)) {
            ByteBuffer memory = shm.buffer();
            // Linux reports an object's exact size; macOS rounds it up to whole pages, which the
            // OS fills with zeros.
            boolean sizeFits = shm.size() == size
                    || OsFamily.current() != OsFamily.LINUX && shm.size() > size && zeroFrom(memory, size);
            if (!sizeFits) {
                return new Leftover(State.NOT_OURS, "it is " + shm.size() + " bytes, not the " + size + " of " + what);
            }
            area = new byte[size];
            memory.get(0, area);
        } catch (IpcException e) {
            if (e.reason() == IpcException.Reason.NOT_FOUND) {
                return new Leftover(State.NOTHING, "no shared memory named " + name);
            }
            return new Leftover(State.UNREADABLE, e.getMessage());
        }
        String mismatch = expected.notLeftByItsWriter(area);
        if (mismatch != null) {
            return new Leftover(State.NOT_OURS, mismatch + ", so it is not " + what);
        }
        String found = what + ", " + size + " bytes, "
                + (expected == Contract.Area.FRAMES ? Contract.describe(area) : text(area));
        Optional<List<Long>> holders = Holders.of(name);
        if (holders.isEmpty()) {
            return new Leftover(State.STALE, found);
        }
        List<Long> users = holders.get();
        if (!users.isEmpty()) {
            return new Leftover(State.IN_USE, found + ", mapped by process "
                    + users.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        return new Leftover(State.STALE, found + ", mapped by no process");
    }

    private static boolean zeroFrom(ByteBuffer memory, int from) {
        for (int i = from; i < memory.limit(); i++) {
            if (memory.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The text a message mapping holds, cut short for one line. */
    private static String text(byte[] area) {
        String text = Contract.decode(ByteBuffer.wrap(area));
        return text.isEmpty() ? "no text yet"
                : "text \"" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "\"";
    }
}
