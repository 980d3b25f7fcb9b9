package dev.shmipc.bench;

import java.util.List;

/** The ways two processes on one machine exchange bytes here, in the order the report lists them. */
enum Transport {
    SHM_SPIN("shm-spin", "shared memory, byte rings, spinning reader (acquire/release, bounded spin)", true),
    SHM_EVENT("shm-event", "shared memory with module 04's handshake: auto-reset events and a mutex, waits that spin "
            + "in user space, then sleep", false),
    UDS("uds", "Unix domain socket (JDK UnixDomainSocketAddress)", true),
    TCP("tcp", "TCP over 127.0.0.1 with TCP_NODELAY", true),
    PIPE("pipe", "pipes: the child process's standard input and output", true);

    /** The transport every ratio in a report is taken against. */
    static final Transport REFERENCE = UDS;

    private final String id;
    private final String description;
    private final boolean pipelines;

    Transport(String id, String description, boolean pipelines) {
        this.id = id;
        this.description = description;
        this.pipelines = pipelines;
    }

    /** The name on the command line and in reports, for example {@code shm-spin}. */
    String id() {
        return id;
    }

    String description() {
        return description;
    }

    /**
     * True if a sender can have several messages in flight. A transport with one buffer and a
     * handshake per message (module 04's) cannot; its pipelined stream would be its lockstep.
     */
    boolean pipelines() {
        return pipelines;
    }

    /** True if each side needs a CPU of its own: a spinning reader starves its peer on one CPU. */
    boolean spins() {
        return this == SHM_SPIN;
    }

    /** Looks a transport up by {@link #id()}. */
    static Transport of(String id) {
        return Ids.find(List.of(values()), Transport::id, id, "transport");
    }
}
