package dev.shmipc.bench;

import dev.shmipc.common.NativeBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets of issues 6, 11 and 12, checked against the median of the per-trial figures of one
 * run: ratios taken inside each trial, and for the handshake step the figure itself. The
 * int-read target is about plain reads; the acquire read is reported in its table, not here.
 */
final class Targets {
    /**
     * One target.
     *
     * @param claim    what is claimed, in words
     * @param required the ratio the claim needs at least or, with a unit, the figure it may reach at most
     * @param unit     null for a ratio; else the unit of a figure that must stay at or below {@code required}
     * @param measured this run's ratios or figures, trial by trial, if the rows were measured
     */
    record Target(String claim, double required, String unit, Optional<Results.PerTrial> measured) {
        /** "met" or "missed" by the median of the per-trial figures, or "not measured". */
        String verdict() {
            return measured.map(m -> (unit == null ? m.median() >= required : m.median() <= required) ? "met" : "missed")
                    .orElse("not measured");
        }

        /** What the target needs: {@code 20x}, or {@code 60 ns/pair}. */
        String needs() {
            return unit == null ? Report.ratio(required) : Report.number(required) + " " + unit;
        }

        /** This run's median with the smallest and largest trial, or "" if not measured. */
        String result() {
            return measured.map(m -> unit == null ? Report.ratioRange(m) : Report.figureRange(m, unit)).orElse("");
        }
    }

    /** The most an uncontended handshake step may cost (issue 11). */
    static final double STEP_NANOS = 60;

    private Targets() {
    }

    static List<Target> check(Results results) {
        String spin = Transport.SHM_SPIN.id();
        String event = Transport.SHM_EVENT.id();
        String uds = Transport.UDS.id();
        String pointer = InProcess.IntReader.JNA_POINTER.label();
        String pair = Workload.HANDSHAKE_STEP.unit();
        List<Target> targets = new ArrayList<>();
        targets.add(atLeast("shm-spin ping-pong round trip at least 20x faster than uds", 20,
                results.ratio(Workload.PING_PONG, spin, uds)));
        targets.add(atLeast("shm-event (module 04's handshake) lockstep stream at least 1.2x uds lockstep", 1.2,
                results.ratio(Workload.STREAM_LOCKSTEP, event, uds)));
        targets.add(atLeast("shm-spin bulk at least 0.5x the in-process memcpy", 0.5,
                results.ratio(Workload.BULK, spin, InProcess.MEMCPY)));
        targets.add(atLeast("shm-spin bulk at least 2x uds", 2,
                results.ratio(Workload.BULK, spin, uds)));
        targets.add(atLeast("ByteBuffer.getInt at least 5x faster than Pointer.getInt", 5,
                results.ratio(Workload.INT_READ, InProcess.IntReader.BYTE_BUFFER.label(), pointer)));
        targets.add(atLeast("VarHandle.get at least 5x faster than Pointer.getInt", 5,
                results.ratio(Workload.INT_READ, InProcess.IntReader.VAR_HANDLE.label(), pointer)));
        // Issue 11: module 04's events and mutex with a fast path in user space.
        targets.add(new Target("NamedEvent set+await at most 60 ns per pair", STEP_NANOS, pair,
                results.figures(Workload.HANDSHAKE_STEP, InProcess.EVENT_STEP)));
        targets.add(new Target("NamedMutex lock+unlock at most 60 ns per pair", STEP_NANOS, pair,
                results.figures(Workload.HANDSHAKE_STEP, InProcess.MUTEX_STEP)));
        targets.add(atLeast("shm-event lockstep at least 0.5x C sem-spin (the C spin-then-block)", 0.5,
                results.ratio(Workload.STREAM_LOCKSTEP, event, CReference.Mode.SEM_SPIN.label())));
        targets.add(atLeast("shm-event lockstep at least 15x uds lockstep", 15,
                results.ratio(Workload.STREAM_LOCKSTEP, event, uds)));
        targets.add(atLeast("on one CPU, shm-event lockstep at least 0.8x C sem-block on that CPU", 0.8,
                results.ratio(Workload.STREAM_LOCKSTEP_1CPU, event, CReference.Mode.SEM_BLOCK.label())));
        // Issue 12: the native call of the slow path, FFM against JNA, in one JVM per binding.
        targets.add(atLeast("FFM slow path at least 5x faster per pair than JNA (NamedEvent, set posting)", 5,
                ffmVersusJna(results, BindingProbe.Op.POSTING_EVENT_STEP)));
        targets.add(atLeast("FFM slow path at least 5x faster per pair than JNA (NamedMutex, unlock posting)", 5,
                ffmVersusJna(results, BindingProbe.Op.POSTING_MUTEX_STEP)));
        return targets;
    }

    /** The row of {@code op} measured with FFM against the same row with JNA, trial by trial. */
    static Optional<Results.PerTrial> ffmVersusJna(Results results, BindingProbe.Op op) {
        return results.ratio(op.workload, op.subject(NativeBinding.FFM), op.subject(NativeBinding.JNA));
    }

    private static Target atLeast(String claim, double required, Optional<Results.PerTrial> measured) {
        return new Target(claim, required, null, measured);
    }
}
