package dev.shmipc.common.program;

import dev.shmipc.common.ExitHook;
import dev.shmipc.common.IpcException;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command-line conventions all example programs share: parsing {@code mode --option value}
 * arguments, and turning expected failures into one clear line on standard error and a non-zero
 * exit code, never a stack trace.
 *
 * <p>Exit codes: {@value #EXIT_OK} success (and {@code --help}), {@value #EXIT_FAILURE} an
 * expected failure at run time (missing peer, name in use, an OS error, an unsupported OS, native
 * libraries that do not load), {@value #EXIT_USAGE} bad arguments (including names and sizes the
 * API rejects with {@link IllegalArgumentException}). Anything else is a bug and keeps its stack
 * trace.
 *
 * <p>One vocabulary for every program: {@code --help} or {@code -h} prints the usage on standard
 * output and exits 0; a bad argument prints one line that ends in {@value #HELP_HINT}; the same
 * option names the same idea everywhere ({@code --name}, {@code --}{@value #HOLD} in seconds,
 * {@code --}{@value #REMOVE_STALE}).
 */
public final class Cli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    /** The option that says how many seconds a program holds what it made before it exits. */
    public static final String HOLD = "hold";
    /** The flag that removes what a crashed run of the program left behind, and exits. */
    public static final String REMOVE_STALE = "remove-stale";
    /** Ends every usage error line. */
    public static final String HELP_HINT = "(run with --help for usage)";
    /** The longest hold, in seconds: one day. */
    public static final long MAX_HOLD_SECONDS = 86_400;
    /**
     * The system property through which {@link JvmProcess} tells a program which process started
     * it: the program ends when that one does, so a killed demo or race leaves none behind.
     */
    public static final String PARENT_PID_PROPERTY = "shmipc.parent.pid";

    /** The running program's role, set by {@link #run}: one program per JVM. */
    private static volatile String role = "main";

    private Cli() {
    }

    /** Prints {@code [role] line} on standard output: every line a program prints goes through here. */
    public static void say(String line) {
        System.out.println("[" + role + "] " + line);
    }

    /** As {@link #say(String)}, with {@code String.format} (root locale) applied first. */
    public static void say(String format, Object... args) {
        say(String.format(Locale.ROOT, format, args));
    }

    /**
     * Runs one step that creates or opens named objects, and turns an expected failure into a
     * line for the user: {@code explain} looks at the {@link IpcException} and returns the
     * message (what the object is, and what to do next), which ends the program with exit
     * {@value #EXIT_FAILURE}; or null, to let the exception pass as it is.
     *
     * <pre>{@code
     * SharedMemory shm = Cli.attach(() -> SharedMemory.open(name, SIZE), e -> switch (e.reason()) {
     *     case NOT_FOUND -> "no shared memory named " + name + "; start the writer first";
     *     default -> null;
     * });
     * }</pre>
     */
    public static <T> T attach(Supplier<T> step, Function<IpcException, String> explain) {
        try {
            return step.get();
        } catch (IpcException e) {
            String message = explain.apply(e);
            if (message == null) {
                throw e;
            }
            throw new Failure(message, e);
        }
    }

    /** A program's body: returns the exit code. */
    @FunctionalInterface
    public interface Program {
        int run(Args args) throws Exception;
    }

    /** Bad arguments: one line and {@value #HELP_HINT}, exit {@value #EXIT_USAGE}. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** An expected failure with a message written for the user: exit {@value #EXIT_FAILURE}. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failure(String message) {
            super(message);
        }

        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs a program and exits the JVM with its code.
     *
     * @param role    the prefix of every line, for example {@code writer}
     * @param usage   the program's arguments, printed by {@code --help}; may span lines
     * @param options the {@code --options} that take a value
     * @param flags   the {@code --flags} that take none
     */
    public static void main(String role, String usage, Set<String> options, Set<String> flags, String[] argv,
            Program program) {
        System.exit(run(role, usage, options, flags, argv, program));
    }

    /** As {@link #main}, but returns the exit code instead of exiting. */
    public static int run(String role, String usage, Set<String> options, Set<String> flags, String[] argv,
            Program program) {
        Cli.role = role;
        if (wantsHelp(argv)) {
            System.out.println("usage: " + usage);
            return EXIT_OK;
        }
        try {
            exitWithParent(role);
            return program.run(Args.parse(argv, options, flags));
        } catch (UsageException | IllegalArgumentException e) {
            System.err.println("[" + role + "] error: " + e.getMessage() + " " + HELP_HINT);
            return EXIT_USAGE;
        } catch (Failure | IpcException | UnsupportedOperationException | UncheckedIOException e) {
            System.err.println("[" + role + "] error: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (LinkageError e) {
            // JNA or the C library could not be loaded: nothing here can work, and nothing to debug in Java.
            System.err.println("[" + role + "] error: cannot load the native libraries: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (InternalError e) {
            // HotSpot's report of a SIGBUS in a mapped buffer: a peer truncated shared memory.
            String fault = isMemoryFault(e) ? SharedMemory.describeFault() : null;
            if (fault == null) {
                throw e;
            }
            System.err.println("[" + role + "] error: " + fault);
            return EXIT_FAILURE;
        } catch (IllegalStateException e) {
            if (!ExitHook.exiting()) {
                throw new IllegalStateException(role + " failed unexpectedly", e);
            }
            // Ctrl-C, SIGTERM or System.exit while the program was starting: it stops, and its
            // hooks clean up. (A real bug met during shutdown is reported the same way.)
            System.err.println("[" + role + "] stopped while it was starting");
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("[" + role + "] error: interrupted");
            return EXIT_FAILURE;
        } catch (Exception e) {
            throw new IllegalStateException(role + " failed unexpectedly", e);
        }
    }

    /** "a fault occurred in a recent unsafe memory access operation ...", worded a little differently by JDK. */
    private static boolean isMemoryFault(InternalError e) {
        return e.getMessage() != null && e.getMessage().contains("unsafe memory access");
    }

    /**
     * If a {@link JvmProcess} started this program, ends it (exit {@value #EXIT_FAILURE}, shutdown
     * hooks and all, so that what it made is removed) when that process ends, also by SIGKILL.
     */
    private static void exitWithParent(String role) {
        String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid == null) {
            return;
        }
        Runnable gone = () -> {
            System.err.println("[" + role + "] error: the process that started this one (pid " + pid
                    + ") has ended; so does this one");
            System.exit(EXIT_FAILURE);
        };
        try {
            // For a process that is not its child, the JDK polls whether it still runs.
            ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(parent -> parent.onExit().thenRun(gone),
                    () -> new Thread(gone, "parent-gone").start());
        } catch (NumberFormatException e) {
            throw new UsageException("-D" + PARENT_PID_PROPERTY + " must be a process id, not '" + pid + "'");
        }
    }

    /** True if any argument is {@code --help} or {@code -h}: the usage wins over everything else. */
    static boolean wantsHelp(String[] argv) {
        for (String arg : argv) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits for Enter or the end of standard input, at most {@code timeout}: the articles'
     * "press a key", with the timeout every wait in this project has. Standard input is read on
     * a daemon thread, so a read that is still blocked never keeps the JVM alive. Input that
     * cannot be read at all counts as its end. A JVM started with standard input closed opens
     * one of its own files as descriptor 0; on Linux that is recognised and counts as the end
     * of input too, and elsewhere only a whole line (ending in a newline) counts as Enter.
     *
     * @return {@code "Enter pressed"} or {@code "end of input"}, or null if the time ran out
     */
    public static String awaitEnter(Duration timeout) throws InterruptedException {
        BlockingQueue<String> event = new ArrayBlockingQueue<>(1);
        if (standardInputIsClosed()) {
            return "end of input";
        }
        Thread reader = new Thread(() -> event.add(readLine() ? "Enter pressed" : "end of input"), "stdin");
        reader.setDaemon(true);
        reader.start();
        return event.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Reads up to a newline: true for a whole line, false at the end of input or on an error. */
    private static boolean readLine() {
        try {
            for (int b = System.in.read(); b >= 0; b = System.in.read()) {
                if (b == '\n') {
                    return true;
                }
            }
        } catch (IOException e) {
            // unreadable: as good as closed
        }
        return false;
    }

    /**
     * Linux: descriptor 0 is a file of the JDK's own (its {@code modules} image), which the JVM
     * opened into the free slot because it was started with standard input closed.
     */
    private static boolean standardInputIsClosed() {
        if (OsFamily.current() != OsFamily.LINUX) {
            return false;
        }
        try {
            Path input = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
            return input.startsWith(Path.of(System.getProperty("java.home")).toRealPath());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Parsed arguments: positional words, {@code --option value} (or {@code =value}), {@code --flag}. */
    public static final class Args {
        private final List<String> positional;
        private final Map<String, String> options;
        private final Set<String> flags;

        private Args(List<String> positional, Map<String, String> options, Set<String> flags) {
            this.positional = positional;
            this.options = options;
            this.flags = flags;
        }

        /** Parses {@code argv}; unknown options are a {@link UsageException}. */
        public static Args parse(String[] argv, Set<String> knownOptions, Set<String> knownFlags) {
            List<String> positional = new ArrayList<>();
            Map<String, String> options = new HashMap<>();
            Set<String> flags = new HashSet<>();
            for (int i = 0; i < argv.length; i++) {
                String arg = argv[i];
                if (!arg.startsWith("--")) {
                    positional.add(arg);
                    continue;
                }
                String key = arg.substring(2);
                String value = null;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                if (knownFlags.contains(key) && value == null) {
                    flags.add(key);
                } else if (knownOptions.contains(key)) {
                    if (value == null) {
                        if (i + 1 == argv.length) {
                            throw new UsageException("option --" + key + " needs a value");
                        }
                        value = argv[++i];
                    }
                    if (options.put(key, value) != null) {
                        throw new UsageException("option --" + key + " is given twice");
                    }
                } else {
                    throw new UsageException("unknown option '" + arg + "'");
                }
            }
            return new Args(List.copyOf(positional), Map.copyOf(options), Set.copyOf(flags));
        }

        /** The positional arguments, after checking that there are at most {@code max}. */
        public List<String> positional(int max) {
            if (positional.size() > max) {
                throw new UsageException("unexpected argument '" + positional.get(max) + "'");
            }
            return positional;
        }

        /**
         * The mode: the one positional argument, which must be one of {@code modes}.
         *
         * @throws UsageException if it is missing, unknown, or followed by another argument
         */
        public String mode(String... modes) {
            List<String> words = positional(1);
            String expected = modes.length == 1 ? modes[0]
                    : String.join(", ", List.of(modes).subList(0, modes.length - 1)) + " or " + modes[modes.length - 1];
            if (words.isEmpty()) {
                throw new UsageException("a mode is required (" + expected + ")");
            }
            String mode = words.get(0);
            if (!List.of(modes).contains(mode)) {
                throw new UsageException("unknown mode '" + mode + "' (expected " + expected + ")");
            }
            return mode;
        }

        /** The value of {@code --key}, or {@code fallback}. */
        public String option(String key, String fallback) {
            return options.getOrDefault(key, fallback);
        }

        /** True if {@code --key} was given. */
        public boolean flag(String key) {
            return flags.contains(key);
        }

        /**
         * How long to hold: {@code --}{@value Cli#HOLD} in whole seconds, from 0 (do not wait) to
         * {@value Cli#MAX_HOLD_SECONDS}, or {@code fallbackSeconds}.
         */
        public Duration hold(long fallbackSeconds) {
            return Duration.ofSeconds(longOption(HOLD, fallbackSeconds, 0, MAX_HOLD_SECONDS));
        }

        /** True if {@code --}{@value Cli#REMOVE_STALE} was given. */
        public boolean removeStale() {
            return flag(REMOVE_STALE);
        }

        /** The whole-number value of {@code --key} in [{@code min}, {@code max}], or {@code fallback}. */
        public int intOption(String key, int fallback, int min, int max) {
            return (int) longOption(key, fallback, min, max);
        }

        /** The whole-number value of {@code --key} in [{@code min}, {@code max}], or {@code fallback}. */
        public long longOption(String key, long fallback, long min, long max) {
            String text = options.get(key);
            if (text == null) {
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + key + " must be a whole number, not '" + text + "'");
            }
            if (value < min || value > max) {
                throw new UsageException("--" + key + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        }
    }
}
