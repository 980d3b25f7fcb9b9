package dev.shmipc.structs;

import dev.shmipc.common.testing.ReadmeQuotes;
import org.junit.jupiter.api.Test;

/** The README quotes code with its file and line: each quote must still stand there. */
class ReadmeTest {
    @Test
    void everyQuotedLineIsWhereTheReadmeSays() {
        ReadmeQuotes.assertAllStand(32);
    }
}
