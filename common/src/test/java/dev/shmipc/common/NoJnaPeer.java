package dev.shmipc.common;

import dev.shmipc.common.program.Cli;
import java.time.Duration;
import java.util.Set;

/**
 * A child program for {@link NoJnaIT}, run with JNA absent from its class path: says which
 * binding it has, then makes, opens, uses and removes shared memory, an event and a mutex under
 * the name given.
 */
public final class NoJnaPeer {
    private NoJnaPeer() {
    }

    public static void main(String[] argv) {
        Cli.main("nojna", "NoJnaPeer NAME", Set.of(), Set.of(), argv, args -> {
            String name = args.positional(1).get(0);
            Cli.say("binding %s, JNA %s", NativeBinding.current(), jnaPresent() ? "present" : "absent");
            try (SharedMemory shm = SharedMemory.create(name, 4096).unlinkOnExit();
                 SharedMemory view = SharedMemory.open(name, 4096)) {
                shm.setIntRelease(0, 42);
                Cli.say("shared memory: %d", view.getIntAcquire(0));
                shm.unlink();
            }
            try (NamedEvent event = NamedEvent.create(name + ".e", false).unlinkOnExit();
                 NamedEvent peer = NamedEvent.open(name + ".e")) {
                boolean before = event.await(Duration.ofMillis(20)); // the slow path: a timed sem wait
                peer.set();
                Cli.say("event: %s then %s", before, event.await(Duration.ofSeconds(10)));
                event.unlink();
            }
            try (NamedMutex mutex = NamedMutex.create(name + ".m", false).unlinkOnExit()) {
                Cli.say("mutex: %s", mutex.lock(Duration.ofSeconds(10)));
                mutex.unlock();
                mutex.unlink();
            }
            return 0;
        });
    }

    private static boolean jnaPresent() {
        try {
            Class.forName("com.sun.jna.Native", false, NoJnaPeer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
