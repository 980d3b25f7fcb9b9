package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The Delphi form of article 001, one action per run.
 *
 * <p>{@code create} is {@code CreateMMF} in {@code FormCreate}: it creates the {@link DelphiRecord}
 * object and holds it until Enter, the end of standard input, {@code --hold} seconds or Ctrl-C,
 * then {@code FreeMMF}. Each other action is a button click: {@code OpenMMF}, one access through
 * a {@code PMMFData} pointer, {@code CloseMMF}. {@code show-valint} is Button1
 * ({@code ShowMessage(Format('valint = %d', ...))}), {@code set-valint} is Button2
 * ({@code valint := 1}); {@code show}, {@code set-valwrd} and {@code set-valdbl} do the same for
 * the other fields.
 *
 * <p>{@code --remove-stale} removes what a killed writer left under the name ({@link Leftover}).
 */
public final class RecordWriter {
    static final String USAGE = "RecordWriter create [--hold SECONDS] | show | show-valint | set-valint [N]"
            + " | set-valwrd N | set-valdbl X  [--name NAME]  ||  RecordWriter --remove-stale [--name NAME]";
    static final Set<String> OPTIONS = Set.of("name", Cli.HOLD);
    /** How long {@code create} holds the record when nothing else ends the hold. */
    static final long DEFAULT_HOLD_SECONDS = 300;

    private RecordWriter() {
    }

    public static void main(String[] args) {
        Cli.main("writer", USAGE, OPTIONS, Set.of(Cli.REMOVE_STALE), args, RecordWriter::run);
    }

    static int run(Cli.Args args) throws InterruptedException {
        if (args.removeStale()) {
            return Leftover.removeStale(args, OPTIONS, Contract.RECORD_NAME);
        }
        List<String> words = args.positional(2);
        if (words.isEmpty()) {
            throw new Cli.UsageException("an action is required");
        }
        String action = words.get(0);
        String name = args.option("name", Contract.RECORD_NAME);
        if (action.equals("create")) {
            args.positional(1);
            return create(name, args.hold(DEFAULT_HOLD_SECONDS));
        }
        if (!List.of("show", "show-valint", "set-valint", "set-valwrd", "set-valdbl").contains(action)) {
            throw new Cli.UsageException("unknown action '" + action + "'");
        }
        if (args.option(Cli.HOLD, null) != null) {
            throw new Cli.UsageException("option --" + Cli.HOLD + " does not apply to '" + action + "'");
        }
        String value = words.size() > 1 ? words.get(1) : null;
        if (value != null && !action.startsWith("set-")) {
            throw new Cli.UsageException("unexpected argument '" + value + "'");
        }
        return click(name, action, value);
    }

    /**
     * {@code CreateMMF}: {@code CreateFileMapping(..., SizeOf(TMMFData), name)}, held until the
     * form closes. The record is at offset 0, as in the article; this module's tag follows it.
     */
    private static int create(String name, Duration hold) throws InterruptedException {
        try (SharedMemory shm = NamedMemory.create(name, Contract.RECORD_OBJECT_SIZE, Contract.Kind.RECORD)) {
            Cli.say("created '" + name + "' (" + shm.nativeName() + "), " + shm.size() + " bytes: SizeOf(TMMFData) = "
                    + DelphiRecord.SIZE + ", then this module's tag at " + Contract.TAG_OFFSET);
            Cli.say("holding it; press Enter to remove it and exit (or wait " + hold.toSeconds() + " s, or Ctrl-C)");
            String what = Cli.awaitEnter(hold);
            String removed = NamedMemory.remove(shm); // FreeMMF
            Cli.say((what != null ? what : "held for " + hold.toSeconds() + " s, time is up") + "; " + removed);
        }
        return Cli.EXIT_OK;
    }

    /** One button click: {@code OpenMMF}, one access, {@code CloseMMF}. */
    private static int click(String name, String action, String text) {
        // Parse before opening, so that bad input changes nothing.
        Number value = action.startsWith("set-") ? parse(action.substring(4), text) : null;
        // The record of whatever holds the name: RecordWriter create's, 02's Owner's or a C peer's.
        try (SharedMemory shm = NamedMemory.open(name, DelphiRecord.SIZE, Contract.Kind.RECORD)) {
            DelphiRecord data = DelphiRecord.at(shm); // PMMFData(p)
            switch (action) {
                case "show":
                    Cli.say(data.toString());
                    break;
                case "show-valint":
                    Cli.say("valint = " + data.valint());
                    break;
                case "set-valint":
                    data.valint(value.intValue());
                    Cli.say("valint := " + value);
                    break;
                case "set-valwrd":
                    data.valwrd(value.intValue());
                    Cli.say("valwrd := " + value);
                    break;
                default:
                    data.valdbl(value.doubleValue());
                    Cli.say("valdbl := " + value);
                    break;
            }
        }
        return Cli.EXIT_OK;
    }

    /** The value of {@code set-<field>}: Button2's 1 for valint when none is given. */
    private static Number parse(String field, String text) {
        if (text == null) {
            if (field.equals("valint")) {
                return 1; // Button2: valint := 1
            }
            throw new Cli.UsageException("set-" + field + " needs a value");
        }
        try {
            switch (field) {
                case "valdbl":
                    return Double.parseDouble(text);
                case "valwrd":
                    int word = Integer.parseInt(text);
                    if (word < 0 || word > 0xFFFF) {
                        throw new Cli.UsageException("valwrd is a WORD, 0 to 65535, not " + word);
                    }
                    return word;
                default:
                    return Integer.parseInt(text);
            }
        } catch (NumberFormatException e) {
            String kind = field.equals("valdbl") ? "a number" : field.equals("valwrd") ? "a WORD (0 to 65535)"
                    : "an Integer (32 bits)";
            throw new Cli.UsageException(field + " must be " + kind + ", not '" + text + "'");
        }
    }
}
