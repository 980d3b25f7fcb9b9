package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NativeBinding;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.TestNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-binding rows end to end: a JVM per binding this JDK can run, each of its rows in the
 * report, and the FFM rows replaced by a note where there is no FFM. Figures are not checked.
 */
class BindingsIT {
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @AfterEach
    void nothingIsLeftBehind() {
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void eachBindingHasItsRowsOrTheFfmNoteSaysWhyNot(@TempDir Path out) throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--quick", "--trials", "1", "--workload",
                "slow-path,stream-lockstep", "--transport", "shm-event", "--out", out.toString())) {
            assertEquals(0, demo.waitFor(LIMIT), () -> "errors: " + demo.stderr());
            List<String> lines = demo.stdout();
            // The suite runs on this JVM's Java and class path, so it finds what this JVM finds.
            Results expectedNotes = new Results();
            List<NativeBinding> bindings = BindingJvm.available(expectedNotes);
            Optional<String> missing = expectedNotes.notes().stream().findFirst();
            for (NativeBinding binding : NativeBinding.values()) {
                boolean expected = bindings.contains(binding);
                for (BindingProbe.Op op : List.of(BindingProbe.Op.POSTING_EVENT_STEP,
                        BindingProbe.Op.POSTING_MUTEX_STEP, BindingProbe.Op.SHM_EVENT_LOCKSTEP)) {
                    String row = "[bench]   " + op.subject(binding) + " ";
                    assertEquals(expected, lines.stream().anyMatch(l -> l.startsWith(row)), row + ": " + lines);
                }
                String trial = "[bench] trial 1 " + binding + " JVM: ";
                assertEquals(expected, lines.stream().anyMatch(l -> l.startsWith(trial)), trial + ": " + lines);
            }
            // The note where FFM is missing; the targets' verdicts follow from it.
            assertEquals(missing.map(note -> List.of("[bench] note: " + note)).orElse(List.of()),
                    lines.stream().filter(l -> l.startsWith("[bench] note: FFM")).toList());
            String verdicts = missing.isPresent() ? "not measured" : "met|missed";
            for (String what : List.of("NamedEvent, set posting", "NamedMutex, unlock posting")) {
                String claim = "FFM slow path at least 5x faster per pair than JNA (" + what + ")";
                assertTrue(lines.stream().anyMatch(l -> l.matches("\\[bench\\]   (" + verdicts + ") +"
                        + Pattern.quote(claim) + ".*")), claim + ": " + lines);
            }
            assertEquals(missing.isEmpty(), lines.stream().anyMatch(l -> l.startsWith("[bench] FFM against JNA")),
                    lines::toString);
        }
    }
}
