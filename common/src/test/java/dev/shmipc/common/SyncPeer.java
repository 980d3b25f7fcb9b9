package dev.shmipc.common;

import java.time.Duration;

/**
 * A child program for the tests of {@link NamedEvent} and {@link NamedMutex}. Modes:
 * <ul>
 *   <li>{@code echo <ping> <pong> <rounds>}: opens both events; each round waits for ping and
 *       sets pong.</li>
 *   <li>{@code hold <mutex>}: opens the mutex, locks it, prints {@code holding}, then waits for
 *       its standard input to end while holding it.</li>
 *   <li>{@code exit <mutex>}: opens the mutex, locks it, prints {@code holding}, and ends
 *       without unlocking it.</li>
 *   <li>{@code stamp <pid>}: prints the holder record this JVM computes for process
 *       {@code pid}, in hex, so that a test can compare it with the one that process computes.</li>
 *   <li>{@code own <event> <mutex>}: creates both with {@code unlinkOnExit}, prints {@code ready},
 *       waits for its standard input to end.</li>
 * </ul>
 */
public final class SyncPeer {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SyncPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo":
                echo(args[1], args[2], Integer.parseInt(args[3]));
                break;
            case "hold":
                try (NamedMutex mutex = NamedMutex.open(args[1])) {
                    System.out.println("holding " + mutex.lock(TIMEOUT));
                    System.in.read();
                }
                break;
            case "exit":
                NamedMutex held = NamedMutex.open(args[1]);
                System.out.println("holding " + held.lock(TIMEOUT));
                return; // neither unlock nor close: the JVM ends with the mutex held
            case "stamp":
                ProcessHandle process = ProcessHandle.of(Long.parseLong(args[1])).orElseThrow();
                System.out.println(Long.toHexString(PosixMutex.Holder.of(process)));
                break;
            case "own":
                try (NamedEvent event = NamedEvent.create(args[1], false).unlinkOnExit();
                     NamedMutex mutex = NamedMutex.create(args[2], true).unlinkOnExit()) {
                    System.out.println("ready");
                    System.in.read();
                }
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static void echo(String pingName, String pongName, int rounds) throws InterruptedException {
        try (NamedEvent ping = NamedEvent.open(pingName); NamedEvent pong = NamedEvent.open(pongName)) {
            System.out.println("echoing");
            for (int i = 0; i < rounds; i++) {
                if (!ping.await(TIMEOUT)) {
                    System.out.println("no ping in round " + i);
                    System.exit(1);
                }
                pong.set();
            }
            System.out.println("echoed " + rounds);
        }
    }
}
