package dev.shmipc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets of issue 6, checked against the median of the per-trial ratios of one run. The
 * int-read target is about plain reads; the acquire read is reported in its table, not here.
 */
final class Targets {
    /**
     * One target.
     *
     * @param claim    what is claimed, in words
     * @param required the ratio the claim needs
     * @param measured the ratios of this run, trial by trial, if both rows were measured
     */
    record Target(String claim, double required, Optional<Results.Ratio> measured) {
        /** "met" or "missed" by the median of the per-trial ratios, or "not measured". */
        String verdict() {
            return measured.map(m -> m.median() >= required ? "met" : "missed").orElse("not measured");
        }
    }

    private Targets() {
    }

    static List<Target> check(Results results) {
        String spin = Transport.SHM_SPIN.id();
        String uds = Transport.UDS.id();
        String pointer = InProcess.IntReader.JNA_POINTER.label();
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("shm-spin ping-pong round trip at least 20x faster than uds", 20,
                results.ratio(Workload.PING_PONG, spin, uds)));
        targets.add(new Target("shm-event (module 04's handshake) lockstep stream at least 1.2x uds lockstep", 1.2,
                results.ratio(Workload.STREAM_LOCKSTEP, Transport.SHM_EVENT.id(), uds)));
        targets.add(new Target("shm-spin bulk at least 0.5x the in-process memcpy", 0.5,
                results.ratio(Workload.BULK, spin, InProcess.MEMCPY)));
        targets.add(new Target("shm-spin bulk at least 2x uds", 2,
                results.ratio(Workload.BULK, spin, uds)));
        targets.add(new Target("ByteBuffer.getInt at least 5x faster than Pointer.getInt", 5,
                results.ratio(Workload.INT_READ, InProcess.IntReader.BYTE_BUFFER.label(), pointer)));
        targets.add(new Target("VarHandle.get at least 5x faster than Pointer.getInt", 5,
                results.ratio(Workload.INT_READ, InProcess.IntReader.VAR_HANDLE.label(), pointer)));
        return targets;
    }
}
