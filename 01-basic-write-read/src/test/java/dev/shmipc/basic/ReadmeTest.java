package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README quotes code as {@code `line` (File.java:N)}: each quote must be on that line. */
class ReadmeTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/shmipc/basic");
    private static final Pattern QUOTE = Pattern.compile("`([^`]+)` \\((\\w+\\.java):(\\d+)\\)");

    @Test
    void everyQuotedLineIsWhereTheReadmeSays() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher quote = QUOTE.matcher(readme);
        List<String> wrong = new ArrayList<>();
        int quotes = 0;
        while (quote.find()) {
            quotes++;
            List<String> lines = Files.readAllLines(SOURCES.resolve(quote.group(2)));
            int line = Integer.parseInt(quote.group(3));
            String code = quote.group(1).replace("\\|", "|"); // a table cell escapes its pipes
            if (line > lines.size() || !lines.get(line - 1).contains(code)) {
                wrong.add(quote.group() + " but that line is: "
                        + (line > lines.size() ? "(past the end)" : lines.get(line - 1).trim()));
            }
        }
        assertTrue(quotes >= 12, "the call-by-call table quotes its lines: found " + quotes);
        assertEquals(List.of(), wrong);
    }
}
