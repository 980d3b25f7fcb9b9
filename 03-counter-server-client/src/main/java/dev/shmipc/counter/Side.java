package dev.shmipc.counter;

import static dev.shmipc.counter.CounterContract.CLIENT_OFFSET;
import static dev.shmipc.counter.CounterContract.SERVER_OFFSET;

import dev.shmipc.common.SharedMemory;

/**
 * One side of the exchange: its slot, the other's slot, and the loop both of the article's
 * functions run ({@code run_server} and {@code run_client} differ only in these).
 */
enum Side {
    SERVER("server", "client", SERVER_OFFSET, CLIENT_OFFSET),
    CLIENT("client", "server", CLIENT_OFFSET, SERVER_OFFSET);

    private final String role;
    private final String peer;
    private final int ownOffset;
    private final int otherOffset;

    Side(String role, String peer, int ownOffset, int otherOffset) {
        this.role = role;
        this.peer = peer;
        this.ownOffset = ownOffset;
        this.otherOffset = otherOffset;
    }

    /** The prefix of this side's lines and its name for {@code Cli}. */
    String role() {
        return role;
    }

    /** Prints one line prefixed by the role, {@code [server] ...}. */
    void say(String line) {
        System.out.println("[" + role + "] " + line);
    }

    /** Starts this side's count at 0, as the article does; the other side's slot is not touched. */
    void reset(SharedMemory shm) {
        shm.setIntRelease(ownOffset, 0);
    }

    /**
     * The article's loop: read both counters; if this side is not taller, write the other's value
     * plus one into its own slot and say so; sleep; say which round was checked.
     */
    void exchange(SharedMemory shm, int rounds, long sleepMillis) throws InterruptedException {
        for (int i = 0; i < rounds; i++) {
            // Acquire reads: each round sees the other process's latest release write. A plain
            // read here could legally be hoisted out of the loop and never change.
            int mine = shm.getIntAcquire(ownOffset);
            int other = shm.getIntAcquire(otherOffset);
            if (mine <= other) {
                mine = other + 1;
                shm.setIntRelease(ownOffset, mine);
                say("I am taller. " + mine + ", " + other);
            }
            Thread.sleep(sleepMillis);
            say("Checking " + peer + " " + i);
        }
    }

    /** The article's last line: {@code Quit server: <int[0]>, <int[1]>}, server's slot first on both sides. */
    void quit(SharedMemory shm) {
        say("Quit " + role + ": " + shm.getIntAcquire(SERVER_OFFSET) + ", " + shm.getIntAcquire(CLIENT_OFFSET));
    }
}
