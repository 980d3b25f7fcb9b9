package dev.shmipc.openexisting;

import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Runs the example end to end, each program in a JVM of its own, and prints their lines as they
 * come: an owner creates the object; openers show, set, show and size it; a second owner finds
 * the name taken and leaves; the owner removes the object and a last opener finds nothing. Then
 * the lifetime lesson: an owner started with {@code --keep} exits without removing the name, and
 * an opener shows whether the object outlived it (Linux, macOS) or not (Windows).
 *
 * <p>It needs no standard input: it presses the owner's Enter itself.
 */
public final class Demo {
    static final String USAGE = "Demo [--name NAME]";
    /** Generous: JVMs start slowly on a small, busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String HOLD_SECONDS = "120";

    private Demo() {
    }

    public static void main(String[] argv) {
        Cli.main("demo", USAGE, Set.of("name"), Set.of(), argv, Demo::run);
    }

    static int run(Cli.Args args) throws Exception {
        args.positional(0);
        // A bad name is a bad argument of the demo's (exit 2), not a failed step of an owner's.
        ObjectName name = ObjectName.of(args.option("name", Contract.DEFAULT_NAME));

        Cli.say("1. create once, open by name many times");
        try (JvmProcess owner = startOwner(name)) {
            opener(name, Cli.EXIT_OK, "show");
            opener(name, Cli.EXIT_OK, "set");
            opener(name, Cli.EXIT_OK, "show");
            opener(name, Cli.EXIT_OK, "size");
            Cli.say("a second owner, while the first one runs:");
            expect("the second owner", Owner.class, Cli.EXIT_FAILURE, "--name", name.name(), "--hold", HOLD_SECONDS);
            Cli.say("pressing Enter in the owner");
            owner.writeLine("");
            exited("the owner", owner, Cli.EXIT_OK);
        }
        opener(name, Cli.EXIT_FAILURE, "show");

        Cli.say("2. how long an object lives without its owner");
        try (KeptObject kept = new KeptObject(name)) {
            try (JvmProcess owner = startOwner(name, "--keep")) {
                kept.madeBy(owner);
                opener(name, Cli.EXIT_OK, "set", "7");
                owner.writeLine("");
                exited("the owner", owner, Cli.EXIT_OK);
            }
            if (OsFamily.current().isPosix()) {
                Cli.say("every process has exited; the name is still there, and so is valint:");
                opener(name, Cli.EXIT_OK, "show");
                expect("Owner --remove-stale", Owner.class, Cli.EXIT_OK,
                        "--" + Cli.REMOVE_STALE, "--name", name.name());
            } else {
                Cli.say("every process has exited; on Windows that closed the last handle:");
            }
            kept.gone(); // removed, or gone with its last handle: nothing of the demo's is left
        }
        opener(name, Cli.EXIT_FAILURE, "show");
        Cli.say("done");
        return Cli.EXIT_OK;
    }

    /** Starts an owner and waits until it holds the object; one that cannot stops the demo. */
    private static JvmProcess startOwner(ObjectName name, String... more) throws Exception {
        String[] args = new String[more.length + 4];
        args[0] = "--name";
        args[1] = name.name();
        args[2] = "--" + Cli.HOLD;
        args[3] = HOLD_SECONDS;
        System.arraycopy(more, 0, args, 4, more.length);
        JvmProcess owner = JvmProcess.start(Owner.class, System.out::println, args);
        try {
            owner.awaitLine(line -> line.startsWith("[owner] holding"), TIMEOUT);
            return owner;
        } catch (TimeoutException e) {
            if (owner.isAlive()) {
                owner.close();
                throw new Cli.Failure("the owner did not start holding '" + name + "' within " + TIMEOUT.toSeconds()
                        + " s");
            }
            int code = owner.waitFor(TIMEOUT); // it has exited: this reads the rest of its output
            throw new Cli.Failure("the owner did not start holding '" + name + "': it exited with " + code
                    + cause(owner));
        }
    }

    private static void opener(ObjectName name, int exitCode, String... action) throws Exception {
        String[] args = new String[action.length + 2];
        System.arraycopy(action, 0, args, 0, action.length);
        args[action.length] = "--name";
        args[action.length + 1] = name.name();
        expect("Opener " + String.join(" ", action), Opener.class, exitCode, args);
    }

    /** Runs a program to its end; anything but the expected exit code stops the demo. */
    private static void expect(String step, Class<?> program, int exitCode, String... args) throws Exception {
        try (JvmProcess process = JvmProcess.start(program, System.out::println, args)) {
            exited(step, process, exitCode);
        }
    }

    private static void exited(String step, JvmProcess process, int expected) throws InterruptedException {
        int code;
        try {
            code = process.waitFor(TIMEOUT);
        } catch (TimeoutException e) {
            throw new Cli.Failure(step + " did not finish within " + TIMEOUT.toSeconds() + " s, and was stopped");
        }
        if (code != expected) {
            throw new Cli.Failure(step + " exited with " + code + " where " + expected + " was expected"
                    + cause(process));
        }
    }

    /** A program's last error line, which names the cause of its failure; nothing if it printed none. */
    private static String cause(JvmProcess process) {
        List<String> errors = process.stderr();
        return errors.isEmpty() ? "" : ": " + errors.get(errors.size() - 1);
    }

}
