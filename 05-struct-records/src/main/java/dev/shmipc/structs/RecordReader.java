package dev.shmipc.structs;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Reads the Delphi record of article 001 three ways: through the flyweight, through the JNA
 * {@code Structure}, and through a big-endian {@code ByteBuffer}, the byte-order bug, which the
 * article's {@code SwapDouble} undoes.
 */
public final class RecordReader {
    static final String USAGE = "RecordReader [--name NAME]";

    private RecordReader() {
    }

    public static void main(String[] args) {
        Cli.main("reader", USAGE, Set.of("name"), Set.of(), args, RecordReader::run);
    }

    static int run(Cli.Args args) {
        args.positional(0);
        String name = args.option("name", Contract.RECORD_NAME);
        try (SharedMemory shm = NamedMemory.open(name, DelphiRecord.SIZE, Contract.Kind.RECORD)) {
            Cli.say("opened '" + name + "', " + shm.size() + " bytes");

            DelphiRecord flyweight = DelphiRecord.at(shm);
            Cli.say("flyweight (zero copy):       " + flyweight);

            DelphiRecord.Struct struct = DelphiRecord.Struct.at(shm, 0);
            struct.read(); // copies the 14 bytes into the Java fields
            Cli.say("JNA Structure (a copy):      valwrd=" + Short.toUnsignedInt(struct.valwrd) + " valint="
                    + struct.valint + " valdbl=" + struct.valdbl);

            // The bug: duplicate() (like slice() and asReadOnlyBuffer()) returns a big-endian
            // buffer whatever the original's order, as ByteBuffer.allocate and wrap start out;
            // shared memory holds native order, and nothing here calls order(nativeOrder()) again.
            ByteBuffer wrong = shm.buffer().duplicate();
            double wrongDouble = wrong.getDouble(DelphiRecord.VALDBL_OFFSET);
            Cli.say("big-endian ByteBuffer (bug): valwrd="
                    + Short.toUnsignedInt(wrong.getShort(DelphiRecord.VALWRD_OFFSET))
                    + " valint=" + wrong.getInt(DelphiRecord.VALINT_OFFSET) + " valdbl=" + wrongDouble);
            Cli.say("SwapDouble(" + wrongDouble + ") = " + DelphiRecord.swapDouble(wrongDouble)
                    + ": the same 8 bytes, reversed");
        }
        return Cli.EXIT_OK;
    }
}
