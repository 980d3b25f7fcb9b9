package dev.shmipc.common.program;

import dev.shmipc.common.NativeBinding;
import dev.shmipc.common.OsFamily;
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

    /**
     * What restores Ctrl-C in a child, if anything must. A process started as a background job of
     * a non-interactive shell (as some CI runners start builds) has SIGINT ignored, its children
     * inherit that, and a JVM keeps an ignored SIGINT ignored: its shutdown hooks would never
     * run on Ctrl-C. A small program resets SIGINT and SIGTERM to their defaults and then
     * executes the child JVM: Linux's {@code env --default-signal}, and on macOS, whose
     * {@code env} has no such option, {@code perl} (part of macOS). Empty when nothing is
     * ignored, on Windows, or when neither program is there.
     */
    private static final List<String> SIGNAL_RESET = signalReset();

    /** Exits 0 if SIGINT or SIGTERM is ignored in it (so in this JVM, which it inherits from). */
    static final List<String> PERL_PROBE = List.of("perl", "-e",
            "exit(((($SIG{INT} // '') eq 'IGNORE') || (($SIG{TERM} // '') eq 'IGNORE')) ? 0 : 3)");

    /** Resets SIGINT and SIGTERM to their defaults, then executes the command that follows. */
    static final List<String> PERL_RESET = List.of("perl", "-e",
            "$SIG{INT} = 'DEFAULT'; $SIG{TERM} = 'DEFAULT'; exec {$ARGV[0]} @ARGV or exit 127");

    private static List<String> signalReset() {
        try {
            switch (OsFamily.current()) {
                case LINUX:
                    return linuxSignalReset();
                case MACOS:
                    // No /proc: a perl child reports what it inherited from this JVM.
                    return exitCode(PERL_PROBE) == 0 && exitCode(concat(PERL_RESET, PERL_PROBE)) == 3
                            ? PERL_RESET : List.of();
                default:
                    return List.of();
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // no /proc, no env or no perl: children start as this JVM did
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static List<String> linuxSignalReset() throws IOException, InterruptedException {
        // SigIgn is a hex mask of ignored signals; bit n-1 is signal n (SIGINT 2, SIGTERM 15).
        long ignored = java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .mapToLong(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16))
                .findFirst().orElse(0);
        if ((ignored & (1L << 1 | 1L << 14)) == 0) {
            return List.of();
        }
        List<String> reset = List.of("env", "--default-signal=INT,TERM");
        return exitCode(concat(reset, List.of("true"))) == 0 ? reset : List.of();
    }

    /** Runs a short command with no input or output; its exit code, or -1 if it hangs. */
    static int exitCode(List<String> command) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        probe.getOutputStream().close();
        if (!probe.waitFor(10, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            return -1;
        }
        return probe.exitValue();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
        List<String> command = new ArrayList<>(SIGNAL_RESET);
        command.add(javaExecutable().toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        // Small JVMs that start fast on a small machine, and UTF-8 on the pipes on every JDK.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Dstdout.encoding=UTF-8");
        command.add("-Dstderr.encoding=UTF-8");
        // JNA's System.load and the FFM binding's downcalls are restricted: JDK 22 and later would
        // print a warning into the program's output without this (JDK 17 accepts the option too).
        command.add("--enable-native-access=ALL-UNNAMED");
        // A binding forced in this JVM (-Dshmipc.native=jna on JDK 25) holds for its programs too.
        String binding = System.getProperty(NativeBinding.PROPERTY);
        if (binding != null) {
            command.add("-D" + NativeBinding.PROPERTY + "=" + binding);
        }
        // A program run through Cli ends when this process does, even by SIGKILL (Cli.exitWithParent).
        command.add("-D" + Cli.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
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

    /** The program's process, as {@link Process#toHandle()} gives it: its pid, its children. */
    public ProcessHandle toHandle() {
        return process.toHandle();
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
     * @throws TimeoutException if no line matched in time; or at once if the program exited
     *     without printing one, and then the message gives its exit code and its last line on
     *     standard error (usually why it failed)
     */
    public String awaitLine(Predicate<String> match, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (this) {
            while (process.isAlive() || outPump.isAlive()) {
                for (; seen < stdout.size(); seen++) {
                    if (match.test(stdout.get(seen))) {
                        return stdout.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(label + " printed no matching line within " + seconds(timeout)
                            + "; output so far: " + stdout + ", errors: " + stderr);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            for (; seen < stdout.size(); seen++) {
                if (match.test(stdout.get(seen))) {
                    return stdout.get(seen);
                }
            }
        }
        // Exited without the line: its last words on standard error say why. Outside the lock,
        // which the pump takes to add them.
        errPump.join(TimeUnit.SECONDS.toMillis(5));
        throw new TimeoutException(label + " exited with code " + process.exitValue()
                + " before printing the line awaited; " + lastWords());
    }

    private synchronized String lastWords() {
        // Of a stack trace, the last line that is not a frame: the root cause.
        for (int i = stderr.size() - 1; i >= 0; i--) {
            String line = stderr.get(i);
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                return "its last error line: " + line;
            }
        }
        if (!stderr.isEmpty()) {
            return "its last error line: " + stderr.get(stderr.size() - 1).strip();
        }
        return stdout.isEmpty() ? "it printed nothing"
                : "nothing on standard error; its last output line: " + stdout.get(stdout.size() - 1);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
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
            throw new TimeoutException(label + " did not exit within " + seconds(timeout) + " and was killed; output: "
                    + stdout() + ", errors: " + stderr());
        }
        outPump.join(TimeUnit.SECONDS.toMillis(5));
        errPump.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /**
     * Asks the program to end: SIGTERM on Linux and macOS, which runs its shutdown hooks;
     * TerminateProcess on Windows. Only the signal: {@link Process#destroy()} would also close
     * the program's pipes, and a program waiting for a line would then see end of input and
     * leave on its own, racing the signal.
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

    /**
     * Ends the program if it still runs: first SIGTERM, so that its shutdown hooks remove the
     * named objects it created, then, after five seconds, a kill that nothing survives. It
     * throws nothing, so that try-with-resources needs no handler for it: if this thread is
     * interrupted while it waits, the program is killed at once and the interrupt is kept.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            terminate();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        closeInput();
    }

    @Override
    public String toString() {
        return label + "[pid " + process.pid() + "]";
    }
}
