package dev.shmipc.bench;

import java.util.List;

/**
 * What is measured, with the unit it is reported in. The one-CPU workloads repeat another
 * workload with both sides pinned to one CPU.
 */
enum Workload {
    PING_PONG("ping-pong", "64-byte message, round trip", "us", false, 64, true),
    PING_PONG_1CPU("ping-pong-1cpu", "64-byte message, round trip, both sides on one CPU", "us", false, 64, true),
    STREAM_LOCKSTEP("stream-lockstep", "592-byte records, one in flight (request/acknowledge)", "records/s", true, 592,
            true),
    STREAM_LOCKSTEP_1CPU("stream-lockstep-1cpu", "592-byte records, one in flight, both sides on one CPU", "records/s",
            true, 592, true),
    STREAM_PIPELINED("stream-pipelined", "592-byte records, many in flight", "records/s", true, 592, true),
    BULK("bulk", "1 MiB chunks, as many in flight as the transport allows", "GB/s", true, 1 << 20, true),
    INT_READ("int-read", "read one int from the mapping, in one process", "ns/read", false, 4, false),
    HANDSHAKE_STEP("handshake-step", "one uncontended pair of module 04's calls, in one process", "ns/pair", false, 0,
            false),
    SLOW_PATH("slow-path", "a set+await or lock+unlock pair whose set or unlock reaches the OS (sem_post), one JVM "
            + "per native binding", "ns/pair", false, 0, false);

    /** The largest message any workload sends. */
    static final int MAX_MESSAGE = 1 << 20;

    private final String id;
    private final String title;
    private final String unit;
    private final boolean higherIsBetter;
    private final int messageSize;
    private final boolean crossProcess;

    Workload(String id, String title, String unit, boolean higherIsBetter, int messageSize, boolean crossProcess) {
        this.id = id;
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.messageSize = messageSize;
        this.crossProcess = crossProcess;
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    String unit() {
        return unit;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Bytes per message (per read for {@link #INT_READ}). */
    int messageSize() {
        return messageSize;
    }

    /** True for the workloads between two processes. */
    boolean crossProcess() {
        return crossProcess;
    }

    /** True for the workloads whose two sides share one CPU. */
    boolean oneCpu() {
        return this == PING_PONG_1CPU || this == STREAM_LOCKSTEP_1CPU;
    }

    /** What is sent and how: the workload a one-CPU workload repeats, otherwise this one. */
    Workload operation() {
        return this == PING_PONG_1CPU ? PING_PONG : this == STREAM_LOCKSTEP_1CPU ? STREAM_LOCKSTEP : this;
    }

    /**
     * How many times better {@code value} is than {@code reference}: above 1 is better whether
     * the unit is a time or a rate.
     */
    double speedup(double value, double reference) {
        return higherIsBetter ? value / reference : reference / value;
    }

    /** Looks a workload up by {@link #id()}. */
    static Workload of(String id) {
        return Ids.find(List.of(values()), Workload::id, id, "workload");
    }
}
