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

        try (JvmProcess server = JvmProcess.start(Server.class, System.out::println,
                "--name", name, "--rounds", Integer.toString(rounds), "--sleep", Integer.toString(serverSleep))) {
            try {
                server.awaitLine(line -> line.startsWith("[server] created "), START_TIMEOUT);
            } catch (TimeoutException e) {
                System.out.println("[demo] the server did not start; it exited with " + exitCode(server, runTimeout));
                return Cli.EXIT_FAILURE;
            }
            try (JvmProcess client = JvmProcess.start(Client.class, System.out::println,
                    "--name", name, "--rounds", Integer.toString(rounds), "--sleep", Integer.toString(clientSleep))) {
                int clientExit = exitCode(client, runTimeout);
                int serverExit = exitCode(server, runTimeout);
                System.out.println("[demo] server exited with " + serverExit + ", client with " + clientExit);
                return serverExit == 0 && clientExit == 0 ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
            }
        }
    }

    private static int exitCode(JvmProcess program, Duration timeout) throws InterruptedException {
        try {
            return program.waitFor(timeout);
        } catch (TimeoutException e) {
            throw new Cli.Failure(e.getMessage());
        }
    }
}
