package dev.shmipc.common;

import java.util.function.Supplier;

/**
 * A shutdown hook that can be cancelled: the one way this project asks the JVM to remove a
 * name when it exits (normally, by {@code System.exit}, Ctrl-C or SIGTERM; nothing runs on
 * SIGKILL or a crash).
 *
 * <p>The JVM's own API has two traps, and this class handles both in one place:
 * {@link Runtime#addShutdownHook} throws {@link IllegalStateException} once the JVM is exiting
 * (a signal came while the caller was still setting up), and so does
 * {@link Runtime#removeShutdownHook} (the hook is then running or about to run).
 */
public final class ExitHook {
    private final Thread thread;

    private ExitHook(Thread thread) {
        this.thread = thread;
    }

    /**
     * Runs {@code action} when the JVM exits, unless {@link #cancel()} comes first.
     *
     * @param what names the hook's thread, for thread dumps: {@code "unlink /demo"}
     * @throws IllegalStateException if the JVM is exiting already: too late for a hook
     */
    public static ExitHook add(String what, Runnable action) {
        Thread thread = new Thread(action, what);
        Runtime.getRuntime().addShutdownHook(thread);
        return new ExitHook(thread);
    }

    /**
     * As {@link #add}, but if the JVM is exiting already, runs {@code action} now, in this thread,
     * and returns a hook with nothing left to cancel.
     */
    public static ExitHook addOrRunNow(String what, Runnable action) {
        try {
            return add(what, action);
        } catch (IllegalStateException exiting) {
            action.run();
            return new ExitHook(null);
        }
    }

    /**
     * Runs {@code step}, the making of something that must not outlive the JVM, while a hook
     * stands guard: if the JVM starts to exit meanwhile, the hook waits for {@code step} to end
     * and then runs {@code cleanUp}, which removes what {@code step} has recorded as made. The
     * guard is gone when this returns, so the caller's own hook ({@link #add}) takes over from
     * there; if the JVM is exiting by then, {@code cleanUp} runs anyway.
     *
     * @throws IllegalStateException if the JVM is exiting already; {@code step} does not run
     */
    public static <T> T guard(String what, Supplier<T> step, Runnable cleanUp) {
        Object making = new Object();
        synchronized (making) { // held before the hook exists, so it can never run ahead of step
            ExitHook guard = add(what, () -> {
                synchronized (making) {
                    cleanUp.run();
                }
            });
            try {
                return step.get();
            } finally {
                guard.cancel();
            }
        }
    }

    /**
     * Takes the hook back, so that it never runs.
     *
     * @return true if it will not run; false if the JVM is exiting and it is running or has run
     */
    public boolean cancel() {
        if (thread == null) {
            return false;
        }
        try {
            return Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException exiting) {
            return false;
        }
    }

    /** True once the JVM runs its shutdown hooks: no hook can be added any more. */
    public static boolean exiting() {
        try {
            add("probe", () -> { }).cancel();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
