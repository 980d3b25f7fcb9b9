package dev.shmipc.openexisting;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.ObjectName;
import dev.shmipc.common.OsFamily;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One click of article 001's buttons: opens the existing object by name, acts, and closes, as the
 * Delphi {@code OpenMMF}/{@code CloseMMF} pair does. Run it as often as you like against one
 * {@link Owner}.
 *
 * <ul>
 *   <li>{@code show}: prints {@code valint} (button 1, {@code ShowMessage('valint = %d')});</li>
 *   <li>{@code set [VALUE]}: {@code valint := VALUE}, 1 if not given (button 2);</li>
 *   <li>{@code size}: prints the size the OS reports for the object.</li>
 * </ul>
 *
 * <p>It opens with no size, like {@code MapViewOfFile(h, FILE_MAP_ALL_ACCESS, 0, 0, 0)}: the
 * whole object, whatever its creator made it. So it checks the size it got before it touches
 * {@code valint}; the Delphi code trusts it.
 */
public final class Opener {
    static final String USAGE = "Opener (show | set [VALUE] | size) [--name NAME]";

    /** The article's two buttons, and one to look at the size. */
    enum Action {
        SHOW, SET, SIZE
    }

    private Opener() {
    }

    public static void main(String[] argv) {
        Cli.main("opener", USAGE, Set.of("name"), Set.of(), argv, Opener::run);
    }

    static int run(Cli.Args args) {
        List<String> words = args.positional(2);
        if (words.isEmpty()) {
            throw new Cli.UsageException("an action is required: show, set or size");
        }
        Action action = action(words.get(0));
        if (action != Action.SET) {
            args.positional(1);
        }
        int value = words.size() > 1 ? value(words.get(1)) : 1;
        ObjectName name = ObjectName.of(args.option("name", Contract.DEFAULT_NAME));

        // OpenMMF: OpenFileMapping(FILE_MAP_ALL_ACCESS, False, name); MapViewOfFile(h, ..., 0, 0, 0)
        try (SharedMemory shm = openExisting(name)) {
            Cli.say("opened %s", name.nativeName());
            switch (action) {
                case SHOW:
                    requireValint(shm);
                    Cli.say("valint = %d", Contract.valint(shm.buffer()));
                    break;
                case SET:
                    requireValint(shm);
                    Contract.setValint(shm.buffer(), value);
                    Cli.say("valint := %d", value);
                    break;
                case SIZE:
                    Cli.say("size = %d bytes (%s)", shm.size(), sizeRule());
                    break;
                default:
                    throw new IllegalStateException("unhandled action " + action);
            }
        } // CloseMMF: UnmapViewOfFile(P); CloseHandle(h)
        Cli.say("closed %s", name.nativeName());
        return Cli.EXIT_OK;
    }

    private static Action action(String word) {
        try {
            return Action.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException("unknown action '" + word + "': use show, set or size");
        }
    }

    private static int value(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Cli.UsageException("VALUE must be a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ", not '" + text + "'");
        }
    }

    /** Opens the whole object; a missing one is the user's mistake, said in one line. */
    private static SharedMemory openExisting(ObjectName name) {
        return Cli.attach(() -> SharedMemory.open(name.name()), e -> e.reason() == IpcException.Reason.NOT_FOUND
                ? "no shared memory named " + name + "; start the owner first" : null);
    }

    /** An object made by someone else may be smaller than the record; never read past its end. */
    private static void requireValint(SharedMemory shm) {
        int needed = Contract.bytesNeededForValint();
        if (shm.size() < needed) {
            throw new Cli.Failure("'" + shm.name() + "' is " + shm.size() + " bytes, too small for valint (bytes "
                    + Contract.VALINT_OFFSET + " to " + (needed - 1) + "): it does not hold a TMMFData record");
        }
    }

    /** Why the size reads as it does on this OS. */
    private static String sizeRule() {
        switch (OsFamily.current()) {
            case LINUX:
                return "Linux reports the exact size its creator asked for";
            case MACOS:
                return "macOS reports whole pages: its creator's size rounded up";
            default:
                return "Windows reports whole pages: its creator's size rounded up";
        }
    }
}
