package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.ObjectName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code --names BASE} rule: every derived name fits, and an error names BASE. */
class ContractTest {
    private static Contract.Names from(String... argv) {
        return Contract.Names.from(Cli.Args.parse(argv, Set.of("names"), Set.of("global")));
    }

    @Test
    void theBaseLimitIsTheNameLimitLessTheLongestSuffix() {
        assertEquals(ObjectName.MAX_LENGTH - ".read".length(), Contract.MAX_BASE_LENGTH);
        Contract.Names names = from("--names", "b".repeat(Contract.MAX_BASE_LENGTH));
        for (String name : List.of(names.serverNewData(), names.clientReadFinish(), names.lockMutex(), names.mapping())) {
            ObjectName.of(name); // throws if it does not fit
        }
    }

    @Test
    void aBaseTooLongForItsLongestNameIsNamedWithItsLimit() {
        String base = "b".repeat(Contract.MAX_BASE_LENGTH + 1);
        Cli.UsageException e = assertThrows(Cli.UsageException.class, () -> from("--names", base));
        assertEquals("--names BASE must be at most " + Contract.MAX_BASE_LENGTH + " characters (the name limit, "
                + ObjectName.MAX_LENGTH + ", less the longest suffix this module appends), not " + base.length()
                + " ('" + base + "')", e.getMessage());
    }

    @Test
    void aBaseOfBadCharactersIsNamedAsGiven() {
        Cli.UsageException e = assertThrows(Cli.UsageException.class, () -> from("--names", "a b"));
        assertTrue(e.getMessage().startsWith("--names BASE: invalid name 'a b': "), e.getMessage());
        assertThrows(Cli.UsageException.class, () -> from("--names", ""));
    }
}
