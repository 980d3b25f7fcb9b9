package dev.shmipc.structs;

import dev.shmipc.structs.MarketData.Tick;
import java.util.List;
import java.util.Locale;

/**
 * The made-up but plausible quotes the tick writer publishes: deterministic, so that a test can
 * predict every line a reader prints.
 * Prices move in steps of 0.5, which binary floating point holds exactly and which C's
 * {@code printf("%.2f")} and Java's {@code String.format} print alike.
 */
final class Ticks {
    private static final List<String> INSTRUMENTS =
            List.of("rb2505", "cu2506", "au2506", "ag2506", "IF2503", "IC2503", "sc2505", "m2505");
    private static final int OPEN_MILLIS = (9 * 60 + 30) * 60_000; // 09:30:00.000
    private static final int STEP_MILLIS = 500;

    private Ticks() {
    }

    static String instrument(int slot) {
        return slot < INSTRUMENTS.size() ? INSTRUMENTS.get(slot) : String.format(Locale.ROOT, "SYM%02d", slot);
    }

    /** The quote of {@code slot} in round {@code round} (round 0 is the table's initial content). */
    static Tick tick(int slot, int round) {
        double last = 3000 + 100 * slot + 0.5 * round;
        int millis = (OPEN_MILLIS + round * STEP_MILLIS) % (24 * 3_600_000);
        int seconds = millis / 1000;
        String time = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return new Tick(instrument(slot), last, last - 0.5, 10 + round, last + 0.5, 20 + round, time, millis % 1000);
    }
}
