package dev.shmipc.basic;

import dev.shmipc.common.program.Cli;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * {@code Writer frames --nonstop}, this port's addition to article 000 for the torn-read
 * experiment: round after round until Enter, end of input or the hold time, instead of a number
 * of rounds then a hold, so that a reader started at any moment finds the frame changing.
 */
final class Nonstop {
    private Nonstop() {
    }

    /**
     * Calls {@code writeRound} with round 0, 1, 2 and on, one every {@code intervalMs} (0: as fast
     * as it can), until it is stopped; then says what stopped it and how many rounds it wrote.
     */
    static void write(LongConsumer writeRound, long intervalMs, Duration hold) throws Exception {
        Cli.say("writing round after round: press Enter to stop, remove it and exit (or wait "
                + hold.toSeconds() + " s)");
        CompletableFuture<String> stop = awaitStop(hold);
        long written = 0;
        for (; !stop.isDone(); written++) {
            writeRound.accept(written);
            if (intervalMs > 0) {
                try {
                    stop.get(intervalMs, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // the interval is over and nothing stopped us: next round
                }
            }
        }
        Cli.say(stop.get() == null ? "wrote for " + hold.toSeconds() + " s, time is up" : stop.get());
        Cli.say("wrote " + written + " rounds");
    }

    /** The writer's hold ({@link Cli#awaitEnter}) on a thread of its own, so that writing goes on meanwhile. */
    private static CompletableFuture<String> awaitStop(Duration hold) {
        CompletableFuture<String> stop = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                stop.complete(Cli.awaitEnter(hold));
            } catch (InterruptedException e) {
                stop.complete("interrupted");
            }
        }, "hold");
        waiter.setDaemon(true);
        waiter.start();
        return stop;
    }
}
