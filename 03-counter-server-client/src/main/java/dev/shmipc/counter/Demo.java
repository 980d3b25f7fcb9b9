package dev.shmipc.counter;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.ObjectName;
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
 * however long a JVM takes to start on a busy machine. If a step fails, the demo says which, in
 * one line with the failing program's own error, and exits 1 (2 for bad arguments, which it
 * checks before it starts anything). The demo itself only looks at the object, to refuse a name
 * that is taken (its client would join whatever holds it); the client refuses an object a killed
 * server left, and the server refuses to create over any object.
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
        // Checked here, not by the children: a bad argument exits 2 before anything starts.
        String name = Settings.name(args, Contract.NAME);
        int rounds = args.intOption("rounds", Contract.ROUNDS, 1, 1000);
        int serverSleep = args.intOption("server-sleep", 200, 0, 10_000);
        int clientSleep = args.intOption("client-sleep", 125, 0, 10_000);
        Duration runTimeout = START_TIMEOUT.plusMillis((long) rounds * Math.max(serverSleep, clientSleep));
        requireFree(name);
        Cli.say("server and client on '" + name + "', " + rounds + " rounds, sleeping " + serverSleep + " and "
                + clientSleep + " ms (the article: 800 and 500)");

        try (JvmProcess client = JvmProcess.start(Client.class, System.out::println, "--name", name,
                "--rounds", Integer.toString(rounds), "--sleep", Integer.toString(clientSleep),
                "--wait", Long.toString(START_TIMEOUT.toMillis()))) {
            // The client's first line: it waits (the name is free), or it opened the object of a
            // server that started after the look above.
            String first = firstLine(client, "client");
            if (first.startsWith("[client] opened ")) {
                throw new Cli.Failure("a server was already running on " + ObjectName.of(name).nativeName()
                        + ", and the client joined it: stop that server, or give the demo another --name");
            }
            try (JvmProcess server = JvmProcess.start(Server.class, System.out::println, "--name", name,
                    "--rounds", Integer.toString(rounds), "--sleep", Integer.toString(serverSleep))) {
                int serverExit = finish(server, "server", runTimeout);
                int clientExit = finish(client, "client", runTimeout);
                Cli.say("server exited with " + serverExit + ", client with " + clientExit);
                return Cli.EXIT_OK;
            }
        }
    }

    /** Fails unless nothing holds {@code name}: the demo's client would join whatever does. It only reads. */
    private static void requireFree(String name) {
        Owned.Finding inUse = Owned.SERVER.inspect(name);
        if (inUse.state() != Owned.State.NOTHING) {
            throw new Cli.Failure(ObjectName.of(name).nativeName() + ": " + inUse.why() + "; the demo needs the"
                    + " name to itself: " + (inUse.state() == Owned.State.RUNNING ? "stop that server"
                            : "remove it (Server --remove-stale, for a server's)") + ", or give the demo another --name");
        }
    }

    /** The child's first standard-output line; if it ends or hangs before one, why, as a failure. */
    private static String firstLine(JvmProcess child, String role) throws InterruptedException {
        try {
            return child.awaitLine(line -> true, START_TIMEOUT);
        } catch (TimeoutException e) {
            if (child.isAlive()) {
                throw new Cli.Failure("the " + role + " printed nothing within " + START_TIMEOUT + ": stopped it");
            }
            finish(child, role, START_TIMEOUT); // it exited: this throws with its exit code and error
            throw new Cli.Failure("the " + role + " ended before it started");
        }
    }

    /** Waits for a child; returns 0, or fails with its exit code and its own error line. */
    private static int finish(JvmProcess child, String role, Duration timeout) throws InterruptedException {
        int exit;
        try {
            exit = child.waitFor(timeout);
        } catch (TimeoutException e) {
            throw new Cli.Failure("the " + role + " did not finish within " + timeout + ": stopped it");
        }
        if (exit != 0) {
            throw new Cli.Failure("the " + role + " failed (exit " + exit + "): " + Child.cause(child, role));
        }
        return exit;
    }
}
