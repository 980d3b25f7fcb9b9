package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link TestObjects} for this module, whose runs name four objects after one {@code --names
 * BASE}: {@code BASE.new}, {@code BASE.read}, {@code BASE.lock} and {@code BASE.map}. Each base
 * is a {@code TestObjects} name, and the check after each test covers the four objects of every
 * base it handed out. Make one per test instance and call {@link #assertNoneLeft()} in an
 * {@code @AfterEach}.
 */
final class TestRuns {
    private final TestObjects objects = new TestObjects();

    /** A new unique {@code --names BASE}, remembered for the check. */
    String base() {
        return objects.name("es");
    }

    /** The four names of a new base. */
    Contract.Names names() {
        return names(base());
    }

    /** The four names {@code --names base} gives, as the programs derive them. */
    static Contract.Names names(String base) {
        return Contract.Names.from(Cli.Args.parse(new String[] {"--names", base}, Set.of("names"), Set.of()));
    }

    /**
     * Asserts that no object of any base is left, and removes what is, so that one failure does
     * not leak into the next test: on Linux and macOS no event or mutex (its control block or its
     * semaphore), and nowhere a mapping (on Windows, one that still opens by name).
     */
    void assertNoneLeft() {
        List<String> left = new ArrayList<>();
        List<String> mappings = new ArrayList<>();
        for (String base : objects.names()) {
            Contract.Names names = names(base);
            for (String event : List.of(names.serverNewData(), names.clientReadFinish())) {
                if (NamedEvent.unlink(event)) {
                    left.add(event);
                }
            }
            if (NamedMutex.unlink(names.lockMutex())) {
                left.add(names.lockMutex());
            }
            mappings.add(names.mapping());
        }
        objects.assertNoneLeft();
        TestNames.assertNoSharedMemory(mappings.toArray(String[]::new));
        assertEquals(List.of(), left, "left behind");
    }
}
