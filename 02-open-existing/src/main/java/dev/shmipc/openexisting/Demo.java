package dev.shmipc.openexisting;

import dev.shmipc.common.Cli;
import dev.shmipc.common.JvmProcess;
import dev.shmipc.common.OsFamily;
import java.time.Duration;
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
    static final String ROLE = "demo";
    static final String USAGE = "Demo [--name NAME]";
    /** Generous: JVMs start slowly on a small, busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String HOLD_SECONDS = "120";

    private Demo() {
    }

    public static void main(String[] argv) {
        Cli.main(ROLE, USAGE, Set.of("name"), Set.of(), argv, Demo::run);
    }

    static int run(Cli.Args args) throws Exception {
        args.positional(0);
        String name = args.option("name", MmfData.DEFAULT_NAME);

        say("1. create once, open by name many times");
        try (JvmProcess owner = startOwner(name)) {
            opener(name, Cli.EXIT_OK, "show");
            opener(name, Cli.EXIT_OK, "set");
            opener(name, Cli.EXIT_OK, "show");
            opener(name, Cli.EXIT_OK, "size");
            say("a second owner, while the first one runs:");
            expect(Owner.class, Cli.EXIT_FAILURE, "--name", name, "--hold", HOLD_SECONDS);
            say("pressing Enter in the owner");
            owner.writeLine("");
            exited(owner, Cli.EXIT_OK);
        }
        opener(name, Cli.EXIT_FAILURE, "show");

        say("2. how long an object lives without its owner");
        try (JvmProcess owner = startOwner(name, "--keep")) {
            opener(name, Cli.EXIT_OK, "set", "7");
            owner.writeLine("");
            exited(owner, Cli.EXIT_OK);
        }
        if (OsFamily.current().isPosix()) {
            say("every process has exited; the name is still there, and so is valint:");
            opener(name, Cli.EXIT_OK, "show");
            expect(Owner.class, Cli.EXIT_OK, "--remove", "--name", name);
        } else {
            say("every process has exited; on Windows that closed the last handle:");
        }
        opener(name, Cli.EXIT_FAILURE, "show");
        say("done");
        return Cli.EXIT_OK;
    }

    /** Starts an owner and waits until it holds the object; one that cannot stops the demo. */
    private static JvmProcess startOwner(String name, String... more) throws Exception {
        String[] args = new String[more.length + 4];
        args[0] = "--name";
        args[1] = name;
        args[2] = "--hold";
        args[3] = HOLD_SECONDS;
        System.arraycopy(more, 0, args, 4, more.length);
        JvmProcess owner = JvmProcess.start(Owner.class, System.out::println, args);
        try {
            owner.awaitLine(line -> line.startsWith("[owner] holding"), TIMEOUT);
            return owner;
        } catch (TimeoutException e) {
            boolean stillRunning = owner.isAlive();
            owner.close();
            throw new Cli.Failure("the owner did not start holding '" + name + "'"
                    + (stillRunning ? " within " + TIMEOUT.toSeconds() + " s" : "; see its error above"));
        }
    }

    private static void opener(String name, int exitCode, String... action) throws Exception {
        String[] args = new String[action.length + 2];
        System.arraycopy(action, 0, args, 0, action.length);
        args[action.length] = "--name";
        args[action.length + 1] = name;
        expect(Opener.class, exitCode, args);
    }

    /** Runs a program to its end; anything but the expected exit code stops the demo. */
    private static void expect(Class<?> program, int exitCode, String... args) throws Exception {
        try (JvmProcess process = JvmProcess.start(program, System.out::println, args)) {
            exited(process, exitCode);
        }
    }

    private static void exited(JvmProcess process, int expected) throws InterruptedException {
        int code;
        try {
            code = process.waitFor(TIMEOUT);
        } catch (TimeoutException e) {
            throw new Cli.Failure(process + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        if (code != expected) {
            throw new Cli.Failure(process + " exited with " + code + ", expected " + expected);
        }
    }

    private static void say(String line) {
        System.out.println("[" + ROLE + "] " + line);
    }
}
