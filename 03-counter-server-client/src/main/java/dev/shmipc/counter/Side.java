package dev.shmipc.counter;

import static dev.shmipc.counter.Contract.CLIENT_OFFSET;
import static dev.shmipc.counter.Contract.SERVER_OFFSET;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;

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
            // Acquire reads: each round reads memory again and sees the other side's writes
            // eventually (Contract says why not the latest). A plain read could legally be
            // hoisted out of the loop and never change.
            int mine = shm.getIntAcquire(ownOffset);
            int other = shm.getIntAcquire(otherOffset);
            if (mine <= other) {
                mine = other + 1;
                shm.setIntRelease(ownOffset, mine);
                Cli.say("I am taller. " + mine + ", " + other);
            }
            Thread.sleep(sleepMillis);
            Cli.say("Checking " + peer + " " + i);
        }
    }

    /** The article's last line: {@code Quit server: <int[0]>, <int[1]>}, server's slot first on both sides. */
    void quit(SharedMemory shm) {
        Cli.say("Quit " + role + ": " + shm.getIntAcquire(SERVER_OFFSET) + ", " + shm.getIntAcquire(CLIENT_OFFSET));
    }
}
