package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared-memory channels within one process, one thread per end: bytes intact, names removed. */
class ChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final ExecutorService peer = Executors.newSingleThreadExecutor();
    private final TestObjects objects = new TestObjects();

    @AfterEach
    void stopPeerAndCheckNothingIsLeft() throws InterruptedException {
        peer.shutdownNow();
        assertTrue(peer.awaitTermination(30, TimeUnit.SECONDS));
        objects.assertNoneLeft();
        assertEquals(java.util.List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void spinRingsCarryMoreThanTheirCapacityIntactAcrossTheWrap() throws Exception {
        String name = objects.name("ring");
        try (SpinChannel creator = SpinChannel.create(name, TIMEOUT);
                SpinChannel opener = SpinChannel.open(name, TIMEOUT)) {
            // Odd sizes on both sides, so that pieces straddle the end of the ring at odd offsets.
            assertCarriesIntact(creator, opener, 3L * SpinChannel.CAPACITY + 12_345, 99_991, 70_001);
        }
    }

    @Test
    void eventChannelSplitsLargeMessagesIntoBufferSizedPiecesIntact() throws Exception {
        String name = objects.name("evch");
        try (EventChannel creator = EventChannel.create(name, TIMEOUT);
                EventChannel opener = EventChannel.open(name, TIMEOUT)) {
            int total = 2 * EventChannel.CAPACITY + 777;
            assertCarriesIntact(creator, opener, total, total, total);
        }
    }

    @Test
    void spinLockstepWaitsUntilThePeerHasTakenTheMessage() throws Exception {
        String name = objects.name("ack");
        try (SpinChannel creator = SpinChannel.create(name, TIMEOUT);
                SpinChannel opener = SpinChannel.open(name, TIMEOUT);
                SharedMemory positions = SharedMemory.open(name, SpinChannel.SIZE)) {
            // Ring 0 (creator -> opener): once the message is taken, the consumer's head is the producer's tail.
            assertLockstep(creator, opener, i -> assertEquals(positions.getLongAcquire(0),
                    positions.getLongAcquire(SpinChannel.POSITION_SPACING), "head == tail after message " + i));
        }
    }

    @Test
    void eventLockstepWaitsUntilThePeerHasTakenTheMessage() throws Exception {
        String name = objects.name("evack");
        try (EventChannel creator = EventChannel.create(name, TIMEOUT);
                EventChannel opener = EventChannel.open(name, TIMEOUT)) {
            assertLockstep(creator, opener, i -> { });
        }
    }

    @Test
    void spinWaitFailsAtOnceWhenThePeerHasExited() throws Exception {
        String name = objects.name("dead");
        try (SpinChannel creator = SpinChannel.create(name, TIMEOUT)) {
            creator.watchPeer(() -> false);
            IOException e = assertThrows(IOException.class, () -> creator.receive(ByteBuffer.allocateDirect(8)));
            assertTrue(e.getMessage().startsWith("the peer exited while this side waited"), e.getMessage());
        }
    }

    @Test
    void eventWaitFailsAtOnceWhenThePeerHasExited() throws Exception {
        String name = objects.name("edead");
        try (EventChannel creator = EventChannel.create(name, TIMEOUT)) {
            creator.watchPeer(() -> false);
            IOException e = assertThrows(IOException.class, () -> creator.receive(ByteBuffer.allocateDirect(8)));
            assertTrue(e.getMessage().startsWith("the peer exited while this side waited"), e.getMessage());
        }
    }

    /**
     * Sends records with {@code sendAcknowledged} to a reader that dawdles before it takes the first
     * ones, and checks after each return that the reader had already started taking that record: a
     * plain send would return at once, while the reader still sleeps.
     */
    private void assertLockstep(Channel creator, Channel opener, IntConsumer afterEachSend) throws Exception {
        int records = 200;
        int slow = 20;
        AtomicInteger taking = new AtomicInteger(-1);
        Future<?> reader = peer.submit(() -> {
            ByteBuffer ack = ByteBuffer.allocateDirect(1);
            ByteBuffer in = ByteBuffer.allocateDirect(592);
            for (int i = 0; i < records; i++) {
                if (i < slow) {
                    Thread.sleep(5);
                }
                taking.set(i);
                in.clear();
                opener.receiveAcknowledged(in, ack);
                Protocol.check(in, i, true);
            }
            return null;
        });
        ByteBuffer ack = ByteBuffer.allocateDirect(1);
        ByteBuffer out = ByteBuffer.allocateDirect(592);
        for (int i = 0; i < records; i++) {
            Protocol.fill(out, i, true);
            creator.sendAcknowledged(out, ack);
            assertTrue(taking.get() >= i, "sendAcknowledged returned before the reader took record " + i
                    + " (it is at " + taking.get() + ")");
            afterEachSend.accept(i);
        }
        reader.get(60, TimeUnit.SECONDS);
    }

    /** Streams {@code total} bytes from one end to the other in a second thread and compares their CRCs. */
    private void assertCarriesIntact(Channel from, Channel to, long total, int sendChunk, int receiveChunk)
            throws Exception {
        Future<Long> received = peer.submit(() -> drain(to, total, receiveChunk));
        assertEquals(fill(from, total, sendChunk), received.get(60, TimeUnit.SECONDS));
    }

    /** Sends {@code total} bytes of a known stream in chunks of {@code chunk}; returns their CRC. */
    private static long fill(Channel channel, long total, int chunk) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(chunk);
        CRC32 crc = new CRC32();
        long sent = 0;
        while (sent < total) {
            int n = (int) Math.min(chunk, total - sent);
            buffer.clear().limit(n);
            for (int i = 0; i < n; i++) {
                buffer.put(i, (byte) ((sent + i) * 131 >>> 3));
            }
            crc.update(buffer.duplicate());
            channel.send(buffer);
            sent += n;
        }
        return crc.getValue();
    }

    /** Receives {@code total} bytes in chunks of {@code chunk}; returns their CRC. */
    private static long drain(Channel channel, long total, int chunk) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(chunk);
        CRC32 crc = new CRC32();
        long received = 0;
        while (received < total) {
            int n = (int) Math.min(chunk, total - received);
            buffer.clear().limit(n);
            channel.receive(buffer);
            crc.update(buffer.flip());
            received += n;
        }
        return crc.getValue();
    }
}
