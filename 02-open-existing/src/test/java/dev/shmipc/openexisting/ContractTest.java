package dev.shmipc.openexisting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The packed Delphi layout, byte for byte, on a heap buffer. */
class ContractTest {
    @Test
    void theLayoutIsThePackedDelphiRecord() {
        assertEquals(0, Contract.VALWRD_OFFSET);
        assertEquals(2, Contract.VALINT_OFFSET);
        assertEquals(6, Contract.VALDBL_OFFSET);
        assertEquals(14, Contract.SIZE);
        assertEquals(6, Contract.bytesNeededForValint());
    }

    @Test
    void valintOccupiesBytesTwoToFiveInNativeOrderAndNothingElse() {
        ByteBuffer record = ByteBuffer.allocate(Contract.SIZE).order(ByteOrder.nativeOrder());
        Contract.setValint(record, 0x01020304);

        byte[] expected = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? new byte[] {0, 0, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0}
                : new byte[] {0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0};
        assertArrayEquals(expected, record.array());
        assertEquals(0x01020304, Contract.valint(record));
    }

    @Test
    void negativeValuesRoundTrip() {
        ByteBuffer record = ByteBuffer.allocate(Contract.SIZE).order(ByteOrder.nativeOrder());
        Contract.setValint(record, Integer.MIN_VALUE);
        assertEquals(Integer.MIN_VALUE, Contract.valint(record));
    }

    @Test
    void onlyValintWrittenLooksAtEveryByteOutsideValint() {
        ByteBuffer page = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        assertTrue(Contract.onlyValintWritten(page));
        Contract.setValint(page, -1);
        assertTrue(Contract.onlyValintWritten(page), "valint is this module's to write");
        for (int at : new int[] {0, 1, 6, 13, 14, 4095}) {
            ByteBuffer other = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
            other.put(at, (byte) 1);
            assertFalse(Contract.onlyValintWritten(other), () -> "a byte at " + at);
        }
    }

    @Test
    void aBufferInTheWrongByteOrderIsRefused() {
        ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer record = ByteBuffer.allocate(Contract.SIZE).order(other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Contract.valint(record));
        assertEquals("the record is in " + other + " byte order; shared memory holds native order ("
                + ByteOrder.nativeOrder() + ")", e.getMessage());
    }
}
