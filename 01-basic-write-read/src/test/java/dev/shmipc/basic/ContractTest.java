package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aLabelDoesNotCallForeignBytesATornFrame() {
        byte[] text = new byte[100];
        System.arraycopy(Contract.encode(Contract.MESSAGE, 2048), 0, text, 0, 98);
        assertEquals("TORN, or not a frame at all: bytes of " + Contract.roundsIn(text).size() + " different rounds",
                Contract.describe(text));
    }

    @Test
    void whatAKilledFramesWriterCanLeaveIsRecognised() {
        assertEquals(null, Contract.notAFramesArea(new byte[100]), "killed before its first round");
        assertEquals(null, Contract.notAFramesArea(Contract.frame(255, 100)), "one round, with its own zero byte");
        byte[] cut = Contract.frame(256, 100); // round 256 writes what round 0 wrote: values wrap
        System.arraycopy(Contract.frame(255, 100), 30, cut, 30, 70);
        assertEquals(null, Contract.notAFramesArea(cut), "killed while it rewrote the area");

        byte[] twoApart = Contract.frame(7, 100);
        System.arraycopy(Contract.frame(5, 100), 50, twoApart, 50, 50);
        assertEquals("its bytes are not a frame (data[i] = i + round): they follow 2 rounds",
                Contract.notAFramesArea(twoApart));
        byte[] text = new byte[100];
        System.arraycopy(Contract.encode("welcome", 100), 0, text, 0, 14);
        assertTrue(Contract.notAFramesArea(text).startsWith("its bytes are not a frame"));
    }

    @Test
    void whatAKilledMessageWriterCanLeaveIsRecognised() {
        assertEquals(null, Contract.notAMessageArea(new byte[2048]), "killed before it copied the text");
        byte[] area = new byte[2048];
        System.arraycopy(Contract.encode(Contract.MESSAGE, 2048), 0, area, 0, 98);
        assertEquals(null, Contract.notAMessageArea(area));
        area[1000] = 1;
        assertEquals("it is not a UTF-16 text followed only by zeros: byte 1000 after the text's end (byte 98) is not 0",
                Contract.notAMessageArea(area));
        byte[] full = new byte[4];
        java.util.Arrays.fill(full, (byte) 'x');
        assertEquals("it holds no NUL-terminated UTF-16 text: no NUL code unit in 4 bytes",
                Contract.notAMessageArea(full));
    }
}
