package dev.shmipc.bench;

import dev.shmipc.common.OsFamily;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The C reference programs ({@code src/main/c/reference.c}): module 04's lockstep stream in C,
 * two processes, on plain POSIX semaphores (blocking, and spin-then-block), on this project's
 * protocol ({@code common/src/main/c/shmipc_sync.h}) and over a Unix domain socket. The suite
 * compiles them once per run with gcc, where there is one, and runs one program per row and
 * trial; each measures itself and prints {@code records/s <figure>}.
 */
final class CReference {
    /** What {@code reference --mode} runs, and the row it makes in the report. */
    enum Mode {
        SEM_BLOCK("sem-block", "C sem-block"),
        SEM_SPIN("sem-spin", "C sem-spin"),
        SHMIPC("shmipc", "C shmipc (this protocol)"),
        UDS("uds", "C uds");

        private final String id;
        private final String label;

        Mode(String id, String label) {
            this.id = id;
            this.label = label;
        }

        /** The row's name: {@code C sem-block}. */
        String label() {
            return label;
        }
    }

    /** Every C row's name starts with this; no Java row's does. */
    static final String PREFIX = "C ";
    /** The start of the note that says why a run has no C rows. */
    static final String SKIPPED = "C reference rows skipped: ";
    private static final Duration COMPILE_LIMIT = Duration.ofSeconds(120);
    private static final String RECORDS_PER_SECOND = "records/s ";

    private final Path program;
    private final Duration timeout;

    private CReference(Path program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
    }

    /** True for a C reference row's name. */
    static boolean isC(String subject) {
        return subject.startsWith(PREFIX);
    }

    /**
     * Compiles the C programs of the source tree these classes were built from into its
     * {@code target} folder, or says in a note why there are no C rows: not Linux, no gcc on the
     * {@code PATH}, no source tree next to the classes, or gcc failed.
     *
     * @param path    the folders to look for gcc in: the {@code PATH}
     * @param timeout how long a program may wait for its peer, beyond its measuring time
     */
    static Optional<CReference> build(String path, Results results, Duration timeout) throws InterruptedException {
        if (OsFamily.current() != OsFamily.LINUX) {
            results.note(SKIPPED + "they are built and run on Linux only");
            return Optional.empty();
        }
        Optional<Path> gcc = onPath("gcc", path);
        if (gcc.isEmpty()) {
            results.note(SKIPPED + "no gcc on the PATH");
            return Optional.empty();
        }
        Optional<Path> module = moduleFolder();
        if (module.isEmpty()) {
            results.note(SKIPPED + "src/main/c/reference.c is not next to the classes (run the suite from the "
                    + "project's source tree)");
            return Optional.empty();
        }
        return compile(gcc.get(), module.get(), results, timeout);
    }

    /**
     * Compiles {@code reference.c} of the module in {@code module} into {@code module/target}, or
     * notes why not. The program is compiled under a name of this run's own and then renamed, so
     * that two runs at once never run a half-written file.
     */
    static Optional<CReference> compile(Path gcc, Path module, Results results, Duration timeout)
            throws InterruptedException {
        Path source = module.resolve("src/main/c/reference.c");
        Path include = module.resolveSibling("common").resolve("src/main/c");
        Path program = module.resolve("target/reference");
        Path partial = module.resolve("target/reference-" + ProcessHandle.current().pid() + ".tmp");
        // gcc's messages go to a file: a pipe nobody reads until gcc ends could fill up and stall it.
        Path messages = module.resolve("target/reference-" + ProcessHandle.current().pid() + ".log");
        List<String> command = List.of(gcc.toString(), "-O2", "-Wall", "-Wextra", "-pthread", "-I", include.toString(),
                source.toString(), "-o", partial.toString());
        try {
            Files.createDirectories(program.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(messages.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMPILE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                results.note(SKIPPED + "gcc did not finish within " + COMPILE_LIMIT.toSeconds() + " s");
                return Optional.empty();
            }
            String output = Files.readString(messages, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                String error = output.lines().filter(l -> l.contains("error")).findFirst().orElse(output);
                results.note(SKIPPED + "gcc could not compile " + source + ": " + firstLine(error));
                return Optional.empty();
            }
            Files.move(partial, program, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(new CReference(program, timeout));
        } catch (IOException e) {
            results.note(SKIPPED + "cannot run gcc: " + e.getMessage());
            return Optional.empty();
        } finally {
            try {
                Files.deleteIfExists(partial);
                Files.deleteIfExists(messages);
            } catch (IOException e) {
                // Only a leftover in target/; the run goes on.
            }
        }
    }

    /** The first file named {@code name} that can be run, in the folders of {@code path}. */
    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** This module's folder, found from {@code target/classes}, if it holds the C source. */
    private static Optional<Path> moduleFolder() {
        try {
            Path classes = Path.of(CReference.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path module = classes.getParent() == null ? null : classes.getParent().getParent();
            return module != null && Files.isRegularFile(module.resolve("src/main/c/reference.c"))
                    ? Optional.of(module) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code mode} for {@code measure} after its own warm-up, both processes on {@code cpu}
     * if it is not negative.
     *
     * @return its records per second
     * @throws IOException if it fails or does not answer in time, with its own message
     */
    double recordsPerSecond(Mode mode, Duration measure, int cpu) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "--mode", mode.id,
                "--millis", Long.toString(measure.toMillis())));
        if (cpu >= 0) {
            command.add("--cpu");
            command.add(Integer.toString(cpu));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Its own waits give up after 10 s; this limit is for a program that hangs all the same.
        if (!process.waitFor(measure.plus(timeout).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(mode.label + ": no answer within " + measure.plus(timeout).toSeconds() + " s");
        }
        // One short line, or one error line: it fits the pipe's buffer, so it can be read after the end.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0 || !output.startsWith(RECORDS_PER_SECOND)) {
            throw new IOException(mode.label + " exited with code " + process.exitValue() + ": " + firstLine(output));
        }
        try {
            return Double.parseDouble(output.substring(RECORDS_PER_SECOND.length()).trim());
        } catch (NumberFormatException e) {
            throw new IOException(mode.label + " printed '" + firstLine(output) + "', not a figure");
        }
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int end = stripped.indexOf('\n');
        return stripped.isEmpty() ? "(no output)" : end < 0 ? stripped : stripped.substring(0, end);
    }
}
