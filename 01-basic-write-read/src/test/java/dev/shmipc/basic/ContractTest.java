package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractTest {

    @Test
    void aFrameIsIndexPlusRoundAsAByte() {
        assertArrayEquals(new byte[] {3, 4, 5, 6}, Contract.frame(3, 4));
        byte[] wrapped = Contract.frame(254, 4);
        assertArrayEquals(new byte[] {(byte) 254, (byte) 255, 0, 1}, wrapped);
        assertEquals("fe ff 00 01", Contract.hex(wrapped));
    }

    @Test
    void framesAreClassifiedWholeEmptyOrTorn() {
        assertEquals(Contract.Kind.EMPTY, Contract.classify(new byte[100]));
        assertEquals("nothing written yet", Contract.describe(new byte[100]));
        assertEquals(Contract.Kind.WHOLE, Contract.classify(Contract.frame(0, 100)));
        assertEquals("round 7", Contract.describe(Contract.frame(7, 100)));
        assertEquals("round 44", Contract.describe(Contract.frame(300, 100)), "rounds are told apart mod 256");

        // What a reader copies while the writer is half-way from round 5 to round 6.
        byte[] torn = Contract.frame(6, 100);
        System.arraycopy(Contract.frame(5, 100), 40, torn, 40, 60);
        assertEquals(Contract.Kind.TORN, Contract.classify(torn));
        assertEquals(List.of(6, 5), List.copyOf(Contract.roundsIn(torn)));
        assertEquals("TORN: mixes rounds 6 and 5", Contract.describe(torn));

        byte[] oneByteOff = Contract.frame(9, 100);
        oneByteOff[99]++;
        assertEquals(Contract.Kind.TORN, Contract.classify(oneByteOff));
    }

    @Test
    void theMessageIsUtf16LittleEndianWithoutATerminator() {
        byte[] units = Contract.encode("we", 2048);
        assertArrayEquals(new byte[] {'w', 0, 'e', 0}, units);
        assertEquals(98, Contract.encode(Contract.MESSAGE, Contract.MESSAGE_SIZE).length);
    }

    @Test
    void aTextMustFitWithItsTerminator() {
        assertEquals(4, Contract.encode("ab", 6).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Contract.encode("abc", 6));
        assertEquals("the text needs 8 bytes with its terminator; the mapping has 6", e.getMessage());
    }

    @Test
    void decodingStopsAtTheFirstNulUnit() {
        ByteBuffer memory = ByteBuffer.allocate(2048);
        memory.put(0, Contract.encode("grüße, 世界 🌍", 2048));
        assertEquals("grüße, 世界 🌍", Contract.decode(memory));
        assertEquals("", Contract.decode(ByteBuffer.allocate(16)));
    }

    @Test
    void decodingAnUnterminatedStringStopsAtTheEndOfTheMapping() {
        ByteBuffer full = ByteBuffer.allocate(7); // odd size: the last lone byte is no code unit
        full.put(0, "xyz".getBytes(Contract.WCHAR));
        full.put(6, (byte) 'q');
        assertEquals("xyz", Contract.decode(full));
    }
}
