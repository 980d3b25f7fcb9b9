package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void aFilledMessagePassesItsCheck() {
        ByteBuffer message = ByteBuffer.allocate(592);
        Protocol.fill(message, 41, true);
        assertDoesNotThrow(() -> Protocol.check(message, 41, true));
    }

    @Test
    void aWrongSequenceNumberIsCaughtEvenWithoutVerify() {
        ByteBuffer message = ByteBuffer.allocate(64);
        Protocol.fill(message, 7, false);
        IOException e = assertThrows(IOException.class, () -> Protocol.check(message, 8, false));
        assertTrue(e.getMessage().contains("message 8 expected, message 7 arrived"), e.getMessage());
    }

    @Test
    void aCorruptByteIsCaughtWithVerify() {
        ByteBuffer message = ByteBuffer.allocate(64);
        Protocol.fill(message, 3, true);
        message.put(63, (byte) (message.get(63) + 1));
        IOException e = assertThrows(IOException.class, () -> Protocol.check(message, 3, true));
        assertTrue(e.getMessage().contains("corrupt at byte 63"), e.getMessage());
    }

    @Test
    void fillKeepsTheLimit() {
        ByteBuffer message = ByteBuffer.allocate(1024);
        message.limit(64);
        Protocol.fill(message, 1, true);
        assertTrue(message.position() == 0 && message.limit() == 64);
    }
}
