package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a server whose client has died writes its lines as well: its output went through the
 * client, and now nothing reads it. One file per server, in {@code java.io.tmpdir}. From then on
 * standard output and standard error both go there too, so that the file holds every line
 * {@link Cli#say} prints and the error line {@link Cli} prints when the server gives up.
 */
final class ServerLog {
    private static boolean keeping;

    private ServerLog() {
    }

    /** The log of the server {@code serverPid}: {@code java.io.tmpdir/04-event-mutex-sync-server-<pid>.log}. */
    static Path file(long serverPid) {
        return Path.of(System.getProperty("java.io.tmpdir"), "04-event-mutex-sync-server-" + serverPid + ".log");
    }

    /** From now on, this server's lines also go to its log, and the first one says so; once. */
    static synchronized void keepLines(long clientPid) {
        if (keeping) {
            return;
        }
        Path log = file(ProcessHandle.current().pid());
        OutputStream file;
        try {
            file = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | UnsupportedOperationException e) {
            Cli.say("the client (pid %d) is gone, and so is my output; cannot keep it in %s either: %s", clientPid, log, e);
            return;
        }
        keeping = true;
        System.setOut(tee(System.out, file));
        System.setErr(tee(System.err, file));
        Cli.say("the client (pid %d) is gone, and nothing reads my output any more: it goes to %s as well", clientPid, log);
    }

    private static PrintStream tee(PrintStream dead, OutputStream file) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                dead.write(b); // a PrintStream never throws: a closed pipe only sets its error flag
                file.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                dead.write(bytes, offset, length);
                file.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                dead.flush();
                file.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
