package dev.shmipc.common.testing;

import dev.shmipc.common.OsFamily;
import dev.shmipc.common.program.JvmProcess;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals for tests that play the user at a terminal. */
public final class Signals {
    private Signals() {
    }

    /**
     * Sends SIGINT, as Ctrl-C in a terminal does (Linux and macOS). Windows has no such signal
     * for a process without a console of its own; there this terminates the process.
     */
    public static void interrupt(JvmProcess program) throws IOException, InterruptedException {
        if (OsFamily.current() == OsFamily.WINDOWS) {
            program.terminate();
            return;
        }
        // The JDK sends only SIGTERM and SIGKILL; SIGINT takes the kill command.
        long pid = program.toHandle().pid();
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -INT " + pid + " failed");
        }
    }
}
