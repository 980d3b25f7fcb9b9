package dev.shmipc.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The check that a README's code quotes still stand where it says: every module's README quotes
 * Java lines with their file and line number, and code moves. Three forms are read:
 * <ul>
 *   <li>{@code `code` (File.java:N)} in prose and tables;</li>
 *   <li>{@code `code` [File.java:N](path/File.java#LN)}, a link whose path and line must agree;</li>
 *   <li>a line of a code block that ends in {@code // File.java:N}: the code before the comment.</li>
 * </ul>
 * A quote may leave out part of its line with {@code ...}: the line must hold the rest, in order.
 * A file is named by its name alone (found under the module's {@code src} or common's sources,
 * and it must be the only one of that name there) or by its path from the module.
 */
public final class ReadmeQuotes {
    private static final Pattern QUOTE = Pattern.compile("`([^`]+)` \\(([\\w/.]+\\.java):(\\d+)\\)");
    private static final Pattern LINKED = Pattern.compile("`([^`]+)` \\[([\\w/.]+\\.java):(\\d+)]\\(([^)#]+)#L(\\d+)\\)");
    private static final Pattern COMMENTED = Pattern.compile("(?m)^(.*\\S)\\s+// ([\\w/.]+\\.java):(\\d+)\\s*$");
    private static final Path COMMON_SOURCES = Path.of("..", "common", "src", "main");

    private ReadmeQuotes() {
    }

    /**
     * Checks the README of the module the tests run in (the working directory).
     *
     * @param atLeast how many quotes the README is known to hold, so that a change of form that
     *                the patterns no longer see fails instead of checking nothing
     */
    public static void assertAllStand(int atLeast) {
        String readme = read(Path.of("README.md"));
        List<String> wrong = new ArrayList<>();
        int quotes = 0;
        for (Matcher m = QUOTE.matcher(readme); m.find(); quotes++) {
            check(m.group(1), m.group(2), m.group(3), m.group(), wrong);
        }
        for (Matcher m = LINKED.matcher(readme); m.find(); quotes++) {
            check(m.group(1), m.group(2), m.group(3), m.group(), wrong);
            if (!m.group(3).equals(m.group(5)) || !m.group(4).endsWith("/" + m.group(2)) && !m.group(4).equals(m.group(2))) {
                wrong.add(m.group() + ": the link does not point at the file and line it names");
            }
        }
        for (Matcher m = COMMENTED.matcher(readme); m.find(); quotes++) {
            String code = m.group(1).trim();
            check(code.contains("// ") ? code.substring(0, code.indexOf("// ")).trim() : code, m.group(2), m.group(3),
                    m.group().trim(), wrong);
        }
        if (quotes < atLeast) {
            throw new AssertionError("README.md quotes " + quotes + " lines, fewer than the " + atLeast + " it holds");
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError("README.md quotes lines that are not where it says:\n  " + String.join("\n  ", wrong));
        }
    }

    private static void check(String quoted, String file, String number, String where, List<String> wrong) {
        String code = quoted.replace("\\|", "|"); // a table cell escapes its pipes
        List<Path> found = locate(file);
        if (found.size() != 1) {
            wrong.add(where + ": " + (found.isEmpty() ? "no such file" : "more than one file of that name: " + found));
            return;
        }
        List<String> lines = readLines(found.get(0));
        int line = Integer.parseInt(number);
        if (line > lines.size() || !holds(lines.get(line - 1), code)) {
            wrong.add(where + " but that line is: " + (line > lines.size() ? "(past the end)" : lines.get(line - 1).trim()));
        }
    }

    /** True if {@code line} holds {@code code}, where each {@code ...} in it stands for anything. */
    static boolean holds(String line, String code) {
        int from = 0;
        for (String piece : code.split("\\.\\.\\.", -1)) {
            String part = piece.trim();
            int at = line.indexOf(part, from);
            if (at < 0) {
                return false;
            }
            from = at + part.length();
        }
        return true;
    }

    private static List<Path> locate(String file) {
        if (file.contains("/")) {
            Path path = Path.of(file);
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        List<Path> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src"), COMMON_SOURCES)) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                found.addAll(files.filter(p -> p.getFileName().toString().equals(file)).collect(Collectors.toList()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
