package dev.shmipc.counter;

import dev.shmipc.common.Cli;
import dev.shmipc.common.JvmProcess;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Runs the server and the client as two JVMs and prints their output as it arrives. The sleeps
 * are shortened (200 and 125 ms instead of 800 and 500, the same ratio) so the demo takes about
 * two seconds plus JVM start-up.
 *
 * <pre>
 * Demo [--name test.shmem] [--rounds 10] [--server-sleep 200] [--client-sleep 125]
 * </pre>
 *
 * The client starts first and waits for the server ({@code --wait}), so the two always overlap,
 * however long a JVM takes to start on a busy machine.
 */
public final class Demo {
    static final String USAGE = "Demo [--name test.shmem] [--rounds 10] [--server-sleep 200] [--client-sleep 125]";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private Demo() {
    }

    public static void main(String[] args) {
        Cli.main("demo", USAGE, Set.of("name", "rounds", "server-sleep", "client-sleep"), Set.of(), args, Demo::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        args.positional(0);
        String name = args.option("name", CounterContract.NAME);
        int rounds = args.intOption("rounds", CounterContract.ROUNDS, 1, 1000);
        int serverSleep = args.intOption("server-sleep", 200, 0, 10_000);
        int clientSleep = args.intOption("client-sleep", 125, 0, 10_000);
        Duration runTimeout = START_TIMEOUT.plusMillis((long) rounds * Math.max(serverSleep, clientSleep));
        System.out.println("[demo] server and client on '" + name + "', " + rounds + " rounds, sleeping "
                + serverSleep + " and " + clientSleep + " ms (the article: 800 and 500)");

        try (JvmProcess client = JvmProcess.start(Client.class, System.out::println, "--name", name,
                "--rounds", Integer.toString(rounds), "--sleep", Integer.toString(clientSleep),
                "--wait", Long.toString(START_TIMEOUT.toMillis()))) {
            client.awaitLine(line -> line.startsWith("[client] waiting "), START_TIMEOUT);
            try (JvmProcess server = JvmProcess.start(Server.class, System.out::println, "--name", name,
                    "--rounds", Integer.toString(rounds), "--sleep", Integer.toString(serverSleep))) {
                int serverExit = server.waitFor(runTimeout);
                if (serverExit != 0) {
                    System.out.println("[demo] the server failed with exit code " + serverExit + "; stopping the client");
                    return Cli.EXIT_FAILURE;
                }
                int clientExit = client.waitFor(runTimeout);
                System.out.println("[demo] server exited with " + serverExit + ", client with " + clientExit);
                return clientExit == 0 ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
            }
        } catch (TimeoutException e) {
            throw new Cli.Failure(e.getMessage());
        }
    }
}
