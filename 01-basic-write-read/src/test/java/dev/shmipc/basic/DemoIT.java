package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The demo as a user runs it: what it says it does, and a failed step in one line. */
class DemoIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void theDemoSaysEachTimeItPressesEnterForTheWriter() throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class)) {
            assertEquals(0, demo.waitFor(TIMEOUT), () -> demo.stdout() + " " + demo.stderr());
            List<String> out = demo.stdout();
            assertEquals(List.of(), demo.stderr());
            int said = 0;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).equals("[writer] Enter pressed")) {
                    assertTrue(said > 0 && out.subList(0, i).contains("[demo] pressing Enter for the writer"),
                            "Enter was pressed without the demo saying so: " + out);
                    said--;
                } else if (out.get(i).equals("[demo] pressing Enter for the writer")) {
                    said++;
                }
            }
            assertEquals(3, out.stream().filter("[writer] Enter pressed"::equals).count(), out::toString);
            assertEquals(0, said, out::toString);
            String suffix = "-" + demo.toHandle().pid();
            TestNames.assertNoSharedMemory(Contract.FRAMES_NAME + suffix, Contract.MESSAGE_NAME + suffix);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aFailedStepIsOneLineThatNamesItsCause() throws Exception {
        String frames = objects.name(Contract.FRAMES_NAME);
        String suffix = frames.substring(Contract.FRAMES_NAME.length());
        try (SharedMemory taken = SharedMemory.create(frames, 100)) {
            Cli.Failure failure = assertThrows(Cli.Failure.class, () -> Demo.run(suffix));
            assertTrue(Pattern.matches("Writer\\[pid \\d+] exited with 1: \\[writer] error: shared memory '"
                    + Pattern.quote(frames) + "' already exists: .*", failure.getMessage()), failure.getMessage());
            assertTrue(taken.unlink(), "the demo left the object it found alone");
        }
    }
}
