package dev.shmipc.structs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestObjects;
import dev.shmipc.structs.MarketData.Tick;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two ways to map each record agree with each other, with the constants, and with the bytes. */
class RecordLayoutTest {
    private final TestObjects objects = new TestObjects();

    /** An object for one test, which the test removes (unlinkOnExit, should it fail first). */
    private SharedMemory create(int size) {
        return SharedMemory.create(objects.name("layout"), size).unlinkOnExit();
    }

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
    }

    @Test
    void jnaPacksTheDelphiRecordInTheArticlesSize() {
        try (SharedMemory shm = create(DelphiRecord.SIZE)) {
            assertEquals(DelphiRecord.SIZE, DelphiRecord.Struct.at(shm, 0).size(), "packed: no padding");
            shm.unlink();
        }
    }

    @Test
    void jnaAlignsTheMarketRecordLikeC() {
        MarketData.Struct struct = new MarketData.Struct();
        assertEquals(MarketData.SIZE, struct.size());
        assertEquals(MarketData.INSTRUMENT_ID_OFFSET, struct.offsetOf("InstrumentID"));
        assertEquals(MarketData.LAST_PRICE_OFFSET, struct.offsetOf("LastPrice"));
        assertEquals(MarketData.BID_PRICE1_OFFSET, struct.offsetOf("BidPrice1"));
        assertEquals(MarketData.BID_VOLUME1_OFFSET, struct.offsetOf("BidVolume1"));
        assertEquals(MarketData.ASK_PRICE1_OFFSET, struct.offsetOf("AskPrice1"));
        assertEquals(MarketData.ASK_VOLUME1_OFFSET, struct.offsetOf("AskVolume1"));
        assertEquals(MarketData.UPDATE_TIME_OFFSET, struct.offsetOf("UpdateTime"));
        assertEquals(MarketData.UPDATE_MILLISEC_OFFSET, struct.offsetOf("UpdateMillisec"));
    }

    @Test
    void anAbiWhoseLayoutDiffersIsNamedWithEveryDifference() {
        // gcc -m32 (i386 Linux) aligns a double in a struct to 4: from AskPrice1 on, all moves.
        Map<String, Integer> i386 = Map.of("InstrumentID", 0, "LastPrice", 32, "BidPrice1", 40, "BidVolume1", 48,
                "AskPrice1", 52, "AskVolume1", 60, "UpdateTime", 64, "UpdateMillisec", 76);
        Map<String, Integer> constants = new LinkedHashMap<>();
        constants.put("BidVolume1", MarketData.BID_VOLUME1_OFFSET);
        constants.put("AskPrice1", MarketData.ASK_PRICE1_OFFSET);
        constants.put("UpdateMillisec", MarketData.UPDATE_MILLISEC_OFFSET);
        String why = Records.layoutMismatch("MarketData", 80, i386::get, MarketData.SIZE, constants);
        assertTrue(why.startsWith("the MarketData offsets here are a 64-bit C ABI's, but on this platform ("), why);
        assertTrue(why.endsWith(" C puts AskPrice1 at 52, not 56, UpdateMillisec at 76, not 80, sizeof 80, not 88;"
                + " run a 64-bit JVM"), why);

        MarketData.Struct jna = new MarketData.Struct();
        assertNull(Records.layoutMismatch("MarketData", jna.size(), jna::offsetOf, MarketData.SIZE, constants));
    }

    @Test
    void tableSlotsKeepEveryDoubleAligned() {
        for (int i = 0; i < TickTable.MAX_RECORDS; i++) {
            int record = TickTable.slotOffset(i) + TickTable.RECORD_OFFSET;
            assertEquals(0, (TickTable.slotOffset(i) + TickTable.SEQUENCE_OFFSET) % Long.BYTES);
            assertEquals(0, (record + MarketData.LAST_PRICE_OFFSET) % Double.BYTES);
        }
        assertEquals(0, GuardedRecord.SEQUENCE_OFFSET % Long.BYTES);
        assertTrue((GuardedRecord.RECORD_OFFSET + DelphiRecord.VALDBL_OFFSET) % Double.BYTES != 0,
                "the demo keeps the packed double misaligned, as in the article");
    }

    @Test
    void flyweightWritesWhatTheStructureReadsAndBack() {
        // The two ways agree on every byte: JNA's packed layout is the constants' layout.
        try (SharedMemory shm = create(64)) {
            DelphiRecord flyweight = new DelphiRecord(shm.buffer(), 8);
            flyweight.valwrd(65535);
            flyweight.valint(-42);
            flyweight.valdbl(-1234.75);
            DelphiRecord.Struct struct = DelphiRecord.Struct.at(shm, 8);
            struct.read();
            assertEquals(65535, Short.toUnsignedInt(struct.valwrd));
            assertEquals(-42, struct.valint);
            assertEquals(-1234.75, struct.valdbl);

            struct.valint = 1;
            struct.writeField("valint"); // only this field: write() would copy all three back
            assertEquals(1, flyweight.valint());
            assertEquals(-1234.75, flyweight.valdbl());
            // Little-endian bytes at the article's offsets (on x86 and ARM64, the platforms here).
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                assertEquals((byte) 0xFF, shm.buffer().get(8 + DelphiRecord.VALWRD_OFFSET));
                assertEquals(1, shm.buffer().get(8 + DelphiRecord.VALINT_OFFSET));
            }
            shm.unlink();
        }
    }

    @Test
    void marketRecordRoundTripsThroughTheFlyweightAtItsOffsets() {
        ByteBuffer memory = ByteBuffer.allocateDirect(TickTable.size(2)).order(ByteOrder.nativeOrder());
        Tick tick = new Tick("IF2503", 3901.5, 3901.0, 7, 3902.0, 9, "14:59:59", 500);
        int offset = TickTable.slotOffset(1) + TickTable.RECORD_OFFSET;
        new MarketData(memory, offset).set(tick);
        assertEquals(tick, new MarketData(memory, offset).get());
        assertEquals(3901.5, memory.getDouble(offset + MarketData.LAST_PRICE_OFFSET));
        assertEquals(500, memory.getInt(offset + MarketData.UPDATE_MILLISEC_OFFSET));
        assertEquals("IF2503 last=3901.50 bid=3901.00x7 ask=3902.00x9 time=14:59:59.500", tick.format());
    }

    @Test
    void structureAtTheMappingsEndIsRefusedNotACrash() {
        try (SharedMemory shm = create(64)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> DelphiRecord.Struct.at(shm, shm.size() - DelphiRecord.SIZE + 1));
            assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> DelphiRecord.Struct.at(shm, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> new MarketData(shm.buffer(), shm.size() - 1));
            shm.unlink();
        }
    }

    @Test
    void aBigEndianBufferIsRefusedAndSwapDoubleExplainsWhy() {
        ByteBuffer memory = ByteBuffer.allocateDirect(DelphiRecord.SIZE).order(ByteOrder.nativeOrder());
        new DelphiRecord(memory, 0).valdbl(2.5);
        ByteBuffer fresh = memory.duplicate(); // a duplicate starts out big-endian, like any new buffer
        assertEquals(ByteOrder.BIG_ENDIAN, fresh.order());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DelphiRecord(fresh, 0));
        assertTrue(e.getMessage().contains("native byte order"), e.getMessage());

        double wrong = fresh.getDouble(DelphiRecord.VALDBL_OFFSET);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertTrue(wrong != 2.5, "read with the wrong byte order");
        }
        assertEquals(2.5, ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? DelphiRecord.swapDouble(wrong) : wrong);
        double twice = DelphiRecord.swapDouble(DelphiRecord.swapDouble(-0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(twice), "bits, not just value");
    }

    @Test
    void jnaBuffersAreNativeButTheirDuplicatesAreBigEndian() {
        // What the README's byte-order section says: JNA sets the order, the JDK's copies drop it.
        ByteBuffer jna = new Memory(16).getByteBuffer(0, 16);
        assertEquals(ByteOrder.nativeOrder(), jna.order());
        assertEquals(ByteOrder.BIG_ENDIAN, jna.duplicate().order());
        assertEquals(ByteOrder.BIG_ENDIAN, jna.slice().order());
        assertEquals(ByteOrder.BIG_ENDIAN, jna.asReadOnlyBuffer().order());
        assertEquals(ByteOrder.BIG_ENDIAN, ByteBuffer.wrap(new byte[16]).order());
    }

    @Test
    void stringsAreCheckedAgainstTheirCharArrays() {
        ByteBuffer memory = ByteBuffer.allocateDirect(MarketData.SIZE).order(ByteOrder.nativeOrder());
        MarketData record = new MarketData(memory, 0);
        Tick longest = new Tick("x".repeat(30), 1, 1, 1, 1, 1, "09:30:00", 0);
        record.set(longest);
        assertEquals(longest, record.get());
        assertEquals(0, memory.get(30), "room is kept for the NUL");
        assertThrows(IllegalArgumentException.class,
                () -> record.set(new Tick("x".repeat(31), 2, 2, 2, 2, 2, "09:30:00", 0)));
        assertThrows(IllegalArgumentException.class, () -> record.set(new Tick("ab", 2, 2, 2, 2, 2, "09:30:00é", 0)));
        assertEquals(longest, record.get(), "a refused tick writes nothing");
        record.set(new Tick("ab", 1, 1, 1, 1, 1, "09:30:00", 0));
        assertEquals("ab", record.get().instrumentId(), "a shorter string clears the rest");
    }

    @Test
    void nonAsciiBytesFromAnotherWriterReadAsTheReplacementCharacter() {
        // CTP fills its char fields in GB2312; "\u87ba" (a rebar contract's name) is C2 DD there.
        ByteBuffer memory = ByteBuffer.allocateDirect(MarketData.SIZE).order(ByteOrder.nativeOrder());
        memory.put(MarketData.INSTRUMENT_ID_OFFSET, new byte[] {'r', 'b', (byte) 0xC2, (byte) 0xDD, 0, 'x'});
        assertEquals("rb\uFFFD\uFFFD", new MarketData(memory, 0).get().instrumentId(), "up to the NUL, one U+FFFD a byte");
    }

    @Test
    void valwrdIsAnUnsignedWord() {
        DelphiRecord record = new DelphiRecord(ByteBuffer.allocateDirect(DelphiRecord.SIZE).order(ByteOrder.nativeOrder()), 0);
        record.valwrd(40000);
        assertEquals(40000, record.valwrd());
        assertThrows(IllegalArgumentException.class, () -> record.valwrd(65536));
        assertThrows(IllegalArgumentException.class, () -> record.valwrd(-1));
    }
}
