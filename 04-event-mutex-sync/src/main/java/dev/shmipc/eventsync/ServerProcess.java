package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The server as the client sees it: the Java server it started (the article's
 * {@code ShellExecuteEx}), whose output it shows and whose end it notices; or, with
 * {@code --no-server}, a server someone else starts (a native one), which it can only wait for.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
    private final JvmProcess process; // null: started elsewhere

    private ServerProcess(JvmProcess process) {
        this.process = process;
    }

    /** Starts the Java server on {@code directory}, its lines shown here. */
    static ServerProcess start(Path directory, int repeat, Contract.Names names) {
        List<String> args = new ArrayList<>(List.of(directory.toString(), "--repeat", Integer.toString(repeat),
                "--client-pid", Long.toString(ProcessHandle.current().pid())));
        args.addAll(names.toArgs());
        return new ServerProcess(JvmProcess.start(Server.class, System.out::println, args.toArray(String[]::new)));
    }

    /** A server that someone else starts. */
    static ServerProcess elsewhere() {
        return new ServerProcess(null);
    }

    /** Why the server can no longer send, or null if it may: it ended. Never known of one started elsewhere. */
    String ended() throws InterruptedException {
        if (process == null || process.isAlive()) {
            return null;
        }
        try {
            return "exit code " + process.waitFor(Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            return "exit code unknown";
        }
    }

    /** After the end record: the server we started must exit, and with 0. */
    void awaitExit() throws InterruptedException {
        if (process == null) {
            return;
        }
        int exit;
        try {
            exit = process.waitFor(EXIT_WAIT);
        } catch (TimeoutException e) {
            throw new Cli.Failure("the server did not exit within " + EXIT_WAIT.toSeconds() + " s after the end record");
        }
        if (exit != 0) {
            throw new Cli.Failure("the server exited with code " + exit);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
