package dev.shmipc.openexisting;

import dev.shmipc.common.ExitHook;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;

/**
 * The object that part 2 of the demo has an owner make and, by design, leave behind
 * ({@code Owner --keep}). If the demo stops before it removes it (a failed step, Ctrl-C,
 * SIGTERM), this removes it on the way out, but only if that owner said it created it: an object
 * that was there before is never touched.
 */
final class KeptObject implements AutoCloseable {
    private final ObjectName name;
    private final ExitHook hook;
    private JvmProcess owner;

    /** Watches {@code name} from now until {@link #close}, also through Ctrl-C and SIGTERM. */
    KeptObject(ObjectName name) {
        this.name = name;
        this.hook = ExitHook.add("remove " + name, this::removeIfLeft);
    }

    /** The {@code --keep} owner that may make the object. */
    synchronized void madeBy(JvmProcess keepOwner) {
        owner = keepOwner;
    }

    /** The demo has removed the object, or it went with its last handle: nothing is left to remove. */
    synchronized void gone() {
        owner = null;
    }

    /** Removes the object if it is left, and takes the exit hook back. */
    @Override
    public void close() {
        removeIfLeft();
        hook.cancel(); // false on Ctrl-C or SIGTERM: the hook runs, or has run, and finds nothing left
    }

    private synchronized void removeIfLeft() {
        JvmProcess made = owner;
        owner = null;
        if (made != null && made.stdout().stream().anyMatch(line -> line.startsWith("[owner] created "))
                && SharedMemory.unlink(name.name())) {
            Cli.say("removed " + name.nativeName() + ", which the --keep owner left, on the way out");
        }
    }
}
