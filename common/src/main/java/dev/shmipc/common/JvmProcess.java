package dev.shmipc.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An example program started as a separate JVM with this JVM's class path: what the demo
 * launchers use to run both sides of an example, and what the tests use to drive them.
 *
 * <p>Standard output and standard error are read line by line as they arrive, kept for
 * {@link #stdout()} and {@link #stderr()}, and handed to an optional listener (a demo prints
 * them). Every wait takes a timeout; {@link #close()} kills a process that is still running, so
 * that try-with-resources never leaves one behind.
 */
public final class JvmProcess implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Writer stdin;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread outPump;
    private final Thread errPump;

    private JvmProcess(String label, Process process, Consumer<String> listener) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outPump = pump(process.getInputStream(), stdout, listener, label + " stdout");
        this.errPump = pump(process.getErrorStream(), stderr, listener, label + " stderr");
    }

    /** Starts {@code mainClass} with {@code args}; its output is only collected. */
    public static JvmProcess start(Class<?> mainClass, String... args) {
        return start(mainClass, null, args);
    }

    /**
     * Starts {@code mainClass} with {@code args}, passing each output line to {@code listener}
     * (standard output and standard error alike) as it arrives.
     */
    public static JvmProcess start(Class<?> mainClass, Consumer<String> listener, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        // Small JVMs that start fast on a small machine, and UTF-8 on the pipes on every JDK.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Dstdout.encoding=UTF-8");
        command.add("-Dstderr.encoding=UTF-8");
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            return new JvmProcess(mainClass.getSimpleName(), process, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass.getName(), e);
        }
    }

    private static Path javaExecutable() {
        String exe = OsFamily.current() == OsFamily.WINDOWS ? "java.exe" : "java";
        return Path.of(System.getProperty("java.home"), "bin", exe);
    }

    private Thread pump(InputStream in, List<String> lines, Consumer<String> listener, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                    if (listener != null) {
                        listener.accept(line);
                    }
                }
            } catch (IOException e) {
                // The process is gone and its pipe with it; what was read is kept.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The process id, for signals. */
    public long pid() {
        return process.pid();
    }

    /** Writes a line to the program's standard input. */
    public void writeLine(String line) {
        try {
            stdin.write(line + System.lineSeparator());
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(label + " no longer reads its input", e);
        }
    }

    /** Closes the program's standard input: it reads end of file. */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // Already closed by the process exiting: nothing left to tell it.
        }
    }

    /**
     * Waits until a standard-output line matches, and returns it.
     *
     * @throws TimeoutException if no line matched in time, or the process ended without one
     */
    public String awaitLine(Predicate<String> match, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (this) {
            while (true) {
                for (; seen < stdout.size(); seen++) {
                    if (match.test(stdout.get(seen))) {
                        return stdout.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !outPump.isAlive())) {
                    throw new TimeoutException(label + ": no matching line within " + timeout
                            + (process.isAlive() ? "" : " (it exited)") + "; output so far: " + stdout
                            + ", errors: " + stderr);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    /**
     * Waits for the program to exit and for its output to be read; returns the exit code.
     * A program still running after {@code timeout} is killed.
     *
     * @throws TimeoutException if it had to be killed
     */
    public int waitFor(Duration timeout) throws TimeoutException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new TimeoutException(label + " did not exit within " + timeout + " and was killed; output: "
                    + stdout() + ", errors: " + stderr());
        }
        outPump.join(TimeUnit.SECONDS.toMillis(5));
        errPump.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /**
     * Sends SIGINT, as Ctrl-C in a terminal does (Linux and macOS). Windows has no such signal
     * for a process without a console of its own; there this terminates the process.
     */
    public void interrupt() throws IOException, InterruptedException {
        if (OsFamily.current() == OsFamily.WINDOWS) {
            process.destroy();
            return;
        }
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -INT " + process.pid() + " failed");
        }
    }

    /**
     * Asks the program to end: SIGTERM on Linux and macOS, which runs its shutdown hooks. Only
     * the signal: {@code Process.destroy()} would also close the program's standard input, and
     * a program waiting for a line would then see end of input and leave on its own, racing the
     * signal.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Ends the program at once (SIGKILL, TerminateProcess): no cleanup of its own can run. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** True while the program runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The standard-output lines read so far. */
    public synchronized List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** The standard-error lines read so far. */
    public synchronized List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Kills the program if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        closeInput();
    }

    @Override
    public String toString() {
        return label + "[pid " + process.pid() + "]";
    }
}
