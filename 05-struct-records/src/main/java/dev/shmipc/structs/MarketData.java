package dev.shmipc.structs;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A market-data record in the spirit of article 003's {@code CThostFtdcDepthMarketDataField}
 * (the CTP futures API's depth quote), cut to the fields a reader prints, with natural C
 * alignment: every field starts at a multiple of its own size, so the compiler inserts padding.
 *
 * <pre>
 * struct MarketData {               // sizeof 88, alignment 8 (gcc, clang, MSVC; 64-bit)
 *     char   InstrumentID[31];      //  0  TThostFtdcInstrumentIDType
 *                                   // 31  1 byte padding: LastPrice must start at a multiple of 8
 *     double LastPrice;             // 32
 *     double BidPrice1;             // 40
 *     int    BidVolume1;            // 48
 *                                   // 52  4 bytes padding
 *     double AskPrice1;             // 56
 *     int    AskVolume1;            // 64
 *     char   UpdateTime[9];         // 68  "HH:MM:SS" and a NUL, TThostFtdcTimeType
 *                                   // 77  3 bytes padding
 *     int    UpdateMillisec;        // 80
 *                                   // 84  4 bytes tail padding: sizeof is a multiple of 8,
 * };                                //     so that in an array every LastPrice stays aligned
 *
 *  0                              31 32       40       48   52   56       64   68         77  80   84   88
 *  +------------------------------+-+--------+--------+----+----+--------+----+----------+---+----+----+
 *  | InstrumentID                 |p|LastPric|BidPrice|BidV|pad |AskPrice|AskV|UpdateTime|pad|Msec|pad |
 *  +------------------------------+-+--------+--------+----+----+--------+----+----------+---+----+----+
 * </pre>
 *
 * <p>Numbers are in native byte order; strings are ASCII, NUL-terminated. Padding bytes carry no
 * meaning: this class never writes them, while C's {@code memcpy} of a whole struct copies
 * whatever they hold.
 *
 * <p>This class is the flyweight over the mapping, which moves a whole {@link Tick} at a time
 * (the table's sequence lock guards whole records), and {@link Struct} the JNA copy (with JNA's
 * default alignment, which is the platform C compiler's).
 */
public final class MarketData {
    public static final int INSTRUMENT_ID_OFFSET = 0;
    public static final int INSTRUMENT_ID_LENGTH = 31;
    public static final int LAST_PRICE_OFFSET = 32;
    public static final int BID_PRICE1_OFFSET = 40;
    public static final int BID_VOLUME1_OFFSET = 48;
    public static final int ASK_PRICE1_OFFSET = 56;
    public static final int ASK_VOLUME1_OFFSET = 64;
    public static final int UPDATE_TIME_OFFSET = 68;
    public static final int UPDATE_TIME_LENGTH = 9;
    public static final int UPDATE_MILLISEC_OFFSET = 80;
    /** {@code sizeof(struct MarketData)}, tail padding included. */
    public static final int SIZE = 88;

    /**
     * Null when the constants above are this platform's C layout, as on every 64-bit ABI; else
     * what differs. Checked once, here, against JNA's layout of {@link Struct}; the flyweight
     * refuses to run on a platform where it would disagree with C.
     */
    private static final String LAYOUT_MISMATCH = layoutMismatch();

    private final ByteBuffer buffer;
    private final int base;

    /** A flyweight over the record at {@code offset} of {@code buffer} (native byte order). */
    public MarketData(ByteBuffer buffer, int offset) {
        checkLayout();
        this.buffer = Records.checked(buffer, offset, SIZE, "MarketData");
        this.base = offset;
    }

    private static String layoutMismatch() {
        Struct jna = new Struct();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        offsets.put("InstrumentID", INSTRUMENT_ID_OFFSET);
        offsets.put("LastPrice", LAST_PRICE_OFFSET);
        offsets.put("BidPrice1", BID_PRICE1_OFFSET);
        offsets.put("BidVolume1", BID_VOLUME1_OFFSET);
        offsets.put("AskPrice1", ASK_PRICE1_OFFSET);
        offsets.put("AskVolume1", ASK_VOLUME1_OFFSET);
        offsets.put("UpdateTime", UPDATE_TIME_OFFSET);
        offsets.put("UpdateMillisec", UPDATE_MILLISEC_OFFSET);
        return Records.layoutMismatch("MarketData", jna.size(), jna::offsetOf, SIZE, offsets);
    }

    /** Refuses to go on where the constants are not the platform's C layout (32-bit ABIs). */
    private static void checkLayout() {
        if (LAYOUT_MISMATCH != null) {
            throw new UnsupportedOperationException(LAYOUT_MISMATCH);
        }
    }

    /**
     * Copies every field of {@code tick} into the record (not the padding), with plain writes: the
     * article's {@code memcpy}. The strings are checked before anything is written.
     */
    public void set(Tick tick) {
        byte[] instrumentId = Records.cChars(tick.instrumentId(), INSTRUMENT_ID_LENGTH, "InstrumentID");
        byte[] updateTime = Records.cChars(tick.updateTime(), UPDATE_TIME_LENGTH, "UpdateTime");
        buffer.put(base + INSTRUMENT_ID_OFFSET, instrumentId);
        buffer.putDouble(base + LAST_PRICE_OFFSET, tick.lastPrice());
        buffer.putDouble(base + BID_PRICE1_OFFSET, tick.bidPrice1());
        buffer.putInt(base + BID_VOLUME1_OFFSET, tick.bidVolume1());
        buffer.putDouble(base + ASK_PRICE1_OFFSET, tick.askPrice1());
        buffer.putInt(base + ASK_VOLUME1_OFFSET, tick.askVolume1());
        buffer.put(base + UPDATE_TIME_OFFSET, updateTime);
        buffer.putInt(base + UPDATE_MILLISEC_OFFSET, tick.updateMillisec());
    }

    /**
     * Reads every field into a value, with plain reads: a copy, which a reader keeps only when
     * the sequence check says no write overlapped it.
     */
    public Tick get() {
        return new Tick(Records.getCString(buffer, base + INSTRUMENT_ID_OFFSET, INSTRUMENT_ID_LENGTH),
                buffer.getDouble(base + LAST_PRICE_OFFSET), buffer.getDouble(base + BID_PRICE1_OFFSET),
                buffer.getInt(base + BID_VOLUME1_OFFSET), buffer.getDouble(base + ASK_PRICE1_OFFSET),
                buffer.getInt(base + ASK_VOLUME1_OFFSET),
                Records.getCString(buffer, base + UPDATE_TIME_OFFSET, UPDATE_TIME_LENGTH),
                buffer.getInt(base + UPDATE_MILLISEC_OFFSET));
    }

    /** One record's values, held in Java. */
    public record Tick(String instrumentId, double lastPrice, double bidPrice1, int bidVolume1,
            double askPrice1, int askVolume1, String updateTime, int updateMillisec) {

        /** The line both the Java and the C programs print for a record. */
        public String format() {
            return String.format(Locale.ROOT, "%s last=%.2f bid=%.2fx%d ask=%.2fx%d time=%s.%03d",
                    instrumentId, lastPrice, bidPrice1, bidVolume1, askPrice1, askVolume1, updateTime,
                    updateMillisec);
        }
    }

    /**
     * The same record as a JNA {@code Structure} with the default alignment, which is the
     * platform C compiler's: JNA inserts the same padding, and {@link #size()} is 88 on 64-bit
     * ABIs. Field names are CTP's, so the declaration reads like the C header. This module uses
     * it as the judge of the {@code *_OFFSET} constants (the layout check above); the module's
     * other record, {@link DelphiRecord.Struct}, shows a {@code Structure} reading the mapping.
     */
    @FieldOrder({"InstrumentID", "LastPrice", "BidPrice1", "BidVolume1", "AskPrice1", "AskVolume1",
            "UpdateTime", "UpdateMillisec"})
    public static final class Struct extends Structure {
        public byte[] InstrumentID = new byte[INSTRUMENT_ID_LENGTH];
        public double LastPrice;
        public double BidPrice1;
        public int BidVolume1;
        public double AskPrice1;
        public int AskVolume1;
        public byte[] UpdateTime = new byte[UPDATE_TIME_LENGTH];
        public int UpdateMillisec;

        /** A record in memory of its own (JNA allocates it). */
        public Struct() {
            super();
        }

        /** The offset JNA computed for {@code field}, to compare with the {@code *_OFFSET} constants. */
        public int offsetOf(String field) {
            return fieldOffset(field);
        }
    }
}
