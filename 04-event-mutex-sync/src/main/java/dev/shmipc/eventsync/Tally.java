package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import java.util.BitSet;
import java.util.Locale;

/**
 * What the client counts (not in the article): the records that crossed, how fast, and whether
 * their sequence numbers show one lost, duplicated or out of order.
 */
final class Tally {
    private final BitSet seen = new BitSet();
    private int received;
    private int highest;
    private int duplicated;
    private int outOfOrder;
    private boolean started;
    private long start;
    private long nanos;

    /** A record, or the end record, has arrived: the clock starts with the first. */
    void arrived() {
        if (!started) {
            started = true;
            start = System.nanoTime(); // the rate leaves out the server's start-up
        }
    }

    /** The record numbered {@code sequence} was read. */
    void count(int sequence) {
        received++;
        if (sequence <= 0) {
            outOfOrder++; // not a number the server gives: count it against the stream
            return;
        }
        if (seen.get(sequence)) {
            duplicated++;
            return;
        }
        seen.set(sequence);
        if (sequence < highest) {
            outOfOrder++;
        }
        highest = Math.max(highest, sequence);
    }

    /** The end record was read: the clock stops. */
    void ended() {
        nanos = System.nanoTime() - start;
    }

    int received() {
        return received;
    }

    /** Says how many records crossed and how fast, and what the sequence check found. */
    void report() {
        double seconds = nanos / 1e9;
        Cli.say("%d records in %.2f s (%s records/s)", received, seconds,
                seconds > 0 ? String.format(Locale.ROOT, "%.0f", received / seconds) : "-");
        Cli.say("sequence check: %d lost, %d duplicated, %d out of order", lost(), duplicated, outOfOrder);
    }

    /** Fails the run if a record was lost, duplicated or out of order. */
    void checkSequence() {
        if (lost() != 0 || duplicated != 0 || outOfOrder != 0) {
            throw new Cli.Failure("the sequence check failed: " + lost() + " lost, " + duplicated + " duplicated, "
                    + outOfOrder + " out of order");
        }
    }

    /** Numbers below the highest seen that never came. */
    private int lost() {
        return highest - seen.cardinality();
    }
}
