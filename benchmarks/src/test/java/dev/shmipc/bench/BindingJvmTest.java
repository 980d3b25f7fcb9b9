package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NativeBinding;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BindingJvmTest {
    @Test
    void beforeJava22TheFfmRowsAreANote() {
        Optional<String> note = BindingJvm.ffmMissing(17, false);
        assertTrue(note.isPresent() && note.get().startsWith("FFM: not available on this JDK (Java 17; it needs Java 22"),
                note.toString());
    }

    @Test
    void aBuildWithoutTheFfmClassesIsANoteToo() {
        Optional<String> note = BindingJvm.ffmMissing(25, false);
        assertTrue(note.isPresent() && note.get().startsWith("FFM: not available in this build of common"),
                note.toString());
    }

    @Test
    void java22WithTheFfmClassesHasNoNote() {
        assertEquals(Optional.empty(), BindingJvm.ffmMissing(22, true));
    }

    @Test
    void thisJvmOffersJnaAlwaysAndFfmOnlyWithoutANote() {
        Results results = new Results();
        List<NativeBinding> bindings = BindingJvm.available(results);
        assertEquals(NativeBinding.JNA, bindings.get(0), bindings::toString);
        boolean ffm = bindings.contains(NativeBinding.FFM);
        assertEquals(ffm, results.notes().isEmpty(), results.notes()::toString);
        if (Runtime.version().feature() < NativeBinding.FFM_JAVA) {
            assertEquals(List.of(NativeBinding.JNA), bindings);
        }
    }

    @Test
    void everyProbeOperationIsFoundByItsId() {
        for (BindingProbe.Op op : BindingProbe.Op.values()) {
            assertEquals(op, BindingProbe.Op.of(op.id()));
        }
        assertEquals("shm-event (FFM)", BindingProbe.Op.SHM_EVENT_LOCKSTEP.subject(NativeBinding.FFM));
    }
}
