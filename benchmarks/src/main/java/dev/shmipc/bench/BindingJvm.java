package dev.shmipc.bench;

import dev.shmipc.common.NativeBinding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The measuring side's handle on a {@link BindingProbe}: a JVM started with
 * {@code -Dshmipc.native=jna} or {@code =ffm}, which runs batches of its rows on request and
 * reports the nanoseconds each took. Its timing is its own, so the pipe between the two JVMs
 * adds nothing to the figures. Each batch runs under a watchdog, as a {@link Session}'s does.
 */
final class BindingJvm implements AutoCloseable {
    private final NativeBinding binding;
    private final Process process;
    private final BufferedReader answers;
    private final Writer commands;
    private final ScheduledExecutorService watchdog;

    private BindingJvm(NativeBinding binding, Process process) {
        this.binding = binding;
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watchdog " + binding);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The bindings this JVM can start probes of: JNA always; FFM on Java 22+ where the FFM
     * classes are on the class path, else a note in {@code results} that says why not.
     */
    static List<NativeBinding> available(Results results) {
        Optional<String> missing = ffmMissing(Runtime.version().feature(), NativeBinding.ffmPresent());
        missing.ifPresent(results::note);
        return missing.isPresent() ? List.of(NativeBinding.JNA) : List.of(NativeBinding.JNA, NativeBinding.FFM);
    }

    /** Why the FFM rows are left out on Java {@code javaVersion}, or empty if they are not. */
    static Optional<String> ffmMissing(int javaVersion, boolean ffmClassesPresent) {
        String rows = "; the per-binding rows are measured with JNA only, and the FFM target is not measured";
        if (javaVersion < NativeBinding.FFM_JAVA) {
            return Optional.of("FFM: not available on this JDK (Java " + javaVersion + "; it needs Java " + NativeBinding.FFM_JAVA
                    + " or later)" + rows);
        }
        if (!ffmClassesPresent) {
            return Optional.of("FFM: not available in this build of common (built with a JDK before " + NativeBinding.FFM_JAVA
                    + ", so it has no FFM classes)" + rows);
        }
        return Optional.empty();
    }

    /**
     * Starts a probe of {@code binding}, with responders for {@code transports}, and waits until
     * it has set them up (its first answer).
     */
    static BindingJvm start(NativeBinding binding, String name, List<Transport> transports, Duration timeout)
            throws IOException {
        List<String> command = Session.javaCommand(binding.name().toLowerCase(Locale.ROOT), BindingProbe.class);
        command.add(name);
        command.add("--timeout-seconds");
        command.add(Long.toString(timeout.toSeconds()));
        if (!transports.isEmpty()) {
            command.add("--transports");
            command.add(Ids.join(transports, Transport::id, ","));
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BindingJvm jvm = new BindingJvm(binding, process);
        try {
            jvm.run(BindingProbe.Op.EVENT_STEP, 1); // set up, and its binding loaded
        } catch (IOException e) {
            jvm.close();
            throw e;
        }
        return jvm;
    }

    NativeBinding binding() {
        return binding;
    }

    /** Runs {@code count} operations of {@code op} in the probe; returns the nanoseconds they took there. */
    long run(BindingProbe.Op op, long count) throws IOException {
        ScheduledFuture<?> kill = watchdog.schedule(process::destroyForcibly, Session.BATCH_LIMIT.toSeconds(),
                TimeUnit.SECONDS);
        try {
            commands.write(op.id() + " " + count + "\n");
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IOException("the " + binding + " probe ended (see its error above)");
            }
            return Long.parseLong(answer);
        } catch (NumberFormatException e) {
            throw new IOException("the " + binding + " probe answered '" + e.getMessage() + "'", e);
        } finally {
            kill.cancel(false);
        }
    }

    /** Ends the probe (its input ends) and waits for it; kills it if it takes longer than {@code timeout}. */
    void finish(Duration timeout) throws IOException, InterruptedException {
        commands.close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("the " + binding + " probe did not exit within " + timeout.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("the " + binding + " probe exited with code " + process.exitValue());
        }
    }

    /**
     * Stops the probe if it still runs: SIGTERM first, so that its exit hooks remove the names
     * it made; then, after 10 s, SIGKILL. Its responders follow it (they watch their parent).
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watchdog.shutdownNow();
        }
    }
}
