package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.testing.TestNames;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The smoke test: every transport carries every workload's messages intact between this JVM and
 * a {@link Responder} JVM. Every byte of every message is checked on the side that receives it
 * (verify mode); a wrong byte fails the batch with an {@code IOException}. No timing is asserted.
 */
class TransportsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deliversEveryWorkloadsBytesIntact(Transport transport) throws Exception {
        String name = TestNames.unique("smoke");
        ByteBuffer message = ByteBuffer.allocateDirect(Workload.MAX_MESSAGE);
        try (Session session = Session.start(transport, name, true, TIMEOUT)) {
            long[] roundTrips = new long[200];
            assertTrue(session.pingPong(message, 64, 200, roundTrips) > 0);
            assertTrue(roundTrips[199] > 0, "every round trip was timed");

            session.lockstep(message, 592, 300);
            if (transport.pipelines()) {
                session.pipelined(message, 592, 3000);
            }
            session.pipelined(message, Workload.BULK.messageSize(), 9);
            // Odd sizes too, so that nothing depends on the workloads' round numbers.
            session.pingPong(message, 1000 + 3, 50, roundTrips);
            session.lockstep(message, 8, 100);

            session.finish(TIMEOUT);
        }
        TestNames.assertNoSharedMemory(name);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }
}
