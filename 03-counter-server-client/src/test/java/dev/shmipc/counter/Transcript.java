package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one side's console output, Java ({@code [server] I am taller. 2, 1}) or the article's
 * C++ ({@code I am taller. 2, 1}), and checks it against the article's rules.
 */
final class Transcript {
    private static final Pattern TALLER = Pattern.compile("I am taller\\. (-?\\d+), (-?\\d+)");
    private static final Pattern QUIT = Pattern.compile("Quit (server|client): (-?\\d+), (-?\\d+)");

    /** One {@code I am taller. own, other} line. */
    record Taller(int own, int other) {
    }

    private final String role;
    private final String peer;
    private final List<String> lines = new ArrayList<>();

    /**
     * @param role   {@code server} or {@code client}
     * @param prefix what precedes each line: {@code "[server] "} for Java, {@code ""} for the C++ program
     */
    Transcript(String role, String prefix, List<String> output) {
        this.role = role;
        this.peer = role.equals("server") ? "client" : "server";
        for (String line : output) {
            if (line.startsWith(prefix)) {
                lines.add(line.substring(prefix.length()));
            }
        }
    }

    List<Taller> taller() {
        List<Taller> taller = new ArrayList<>();
        for (String line : lines) {
            Matcher m = TALLER.matcher(line);
            if (m.matches()) {
                taller.add(new Taller(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            }
        }
        return taller;
    }

    /** The two values of {@code Quit <role>: a, b}: the server's slot, then the client's. */
    int[] quit() {
        for (String line : lines) {
            Matcher m = QUIT.matcher(line);
            if (m.matches() && m.group(1).equals(role)) {
                return new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
            }
        }
        throw new AssertionError("no 'Quit " + role + ":' line in " + lines);
    }

    /** True if some {@code I am taller} line answers a value the other side wrote. */
    boolean sawThePeer() {
        return taller().stream().anyMatch(t -> t.other() >= 1);
    }

    /**
     * The rules every run follows: one {@code Checking <peer> i} per round, in order; every
     * {@code I am taller} line is one above the other side's value; the run ends with a
     * {@code Quit} line. With {@code strictlyIncreasing}, each side's own value also grows from
     * line to line, which holds when nobody else writes its slot (the article's client does:
     * it zeroes both slots when it starts).
     */
    void assertArticleRules(int rounds, boolean strictlyIncreasing) {
        List<String> checks = lines.stream().filter(l -> l.startsWith("Checking ")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            expected.add("Checking " + peer + " " + i);
        }
        assertEquals(expected, checks, role + ": one check per round");

        List<Taller> taller = taller();
        assertFalse(taller.isEmpty(), role + " never was taller: " + lines);
        for (Taller t : taller) {
            assertEquals(t.other() + 1, t.own(), role + ": 'I am taller' is one above the other: " + t);
        }
        if (strictlyIncreasing) {
            for (int i = 1; i < taller.size(); i++) {
                assertTrue(taller.get(i).own() > taller.get(i - 1).own(),
                        role + ": own value grows line by line: " + taller);
            }
        }
        quit();
    }

    /**
     * The article's order of all lines: first the lines that open the object, one starting with
     * each of {@code opening}; then, per round, at most one {@code I am taller} and one
     * {@code Checking}; and {@code Quit} last.
     */
    void assertArticleOrder(int rounds, String... opening) {
        StringBuilder shape = new StringBuilder();
        for (String line : lines) {
            int next = shape.length();
            shape.append(next < opening.length && line.startsWith(opening[next]) ? 'O'
                    : TALLER.matcher(line).matches() ? 'T'
                    : line.startsWith("Checking ") ? 'C'
                    : QUIT.matcher(line).matches() ? 'Q' : '?');
        }
        String expected = "O{" + opening.length + "}(T?C){" + rounds + "}Q";
        assertTrue(shape.toString().matches(expected), role + ": lines in the article's order " + expected
                + " (O: opening " + List.of(opening) + "), not " + shape + ": " + lines);
    }

    /** The one line of {@code output}, after checking that there is exactly one. */
    static String onlyLine(List<String> output) {
        assertEquals(1, output.size(), "one line: " + output);
        return output.get(0);
    }

    /** The last value this side wrote into its own slot. */
    int lastOwn() {
        List<Taller> taller = taller();
        return taller.get(taller.size() - 1).own();
    }

    @Override
    public String toString() {
        return role + " " + lines;
    }
}
