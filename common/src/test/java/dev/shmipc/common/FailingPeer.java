package dev.shmipc.common;

import dev.shmipc.common.program.Cli;
import java.io.RandomAccessFile;
import java.time.Duration;
import java.util.Set;

/**
 * A child program for the tests, run through {@link Cli} as a real program is, so that a test
 * sees what a user sees:
 * <ul>
 *   <li>{@code create NAME SIZE}: creates shared memory (a test runs it under {@code ulimit});</li>
 *   <li>{@code await NAME}: opens an event and looks whether it is set;</li>
 *   <li>{@code truncate NAME}: creates shared memory, truncates it as a peer could, reads it.</li>
 * </ul>
 */
public final class FailingPeer {
    private FailingPeer() {
    }

    public static void main(String[] argv) {
        Cli.main("peer", "FailingPeer create|await|truncate NAME [SIZE]", Set.of(), Set.of(), argv, args -> {
            String name = args.positional(3).get(1);
            switch (args.positional(3).get(0)) {
                case "create":
                    try (SharedMemory shm = SharedMemory.create(name, Integer.parseInt(args.positional(3).get(2)))) {
                        shm.unlink();
                        System.out.println("created " + shm);
                    }
                    return 0;
                case "await":
                    try (NamedEvent event = NamedEvent.open(name)) {
                        System.out.println("set: " + event.await(Duration.ZERO));
                    }
                    return 0;
                case "truncate":
                    try (SharedMemory shm = SharedMemory.create(name, 1 << 16).unlinkOnExit()) {
                        try (RandomAccessFile file = new RandomAccessFile("/dev/shm/" + name, "rw")) {
                            file.setLength(100); // what a peer's ftruncate does
                        }
                        long sum = 0;
                        for (int i = 0; i < shm.size(); i++) {
                            sum += shm.buffer().get(i);
                        }
                        System.out.println("read all of it: " + sum);
                    }
                    return 0;
                default:
                    throw new IllegalArgumentException("unknown command");
            }
        });
    }
}
