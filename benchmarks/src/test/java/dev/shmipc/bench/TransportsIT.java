package dev.shmipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The smoke test: every transport carries every workload's messages intact between this JVM and
 * a {@link Responder} JVM. Every byte of every message is checked on the side that receives it
 * (verify mode); a wrong byte fails the batch with an {@code IOException}. No timing is asserted.
 */
class TransportsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingIsLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deliversEveryWorkloadsBytesIntact(Transport transport) throws Exception {
        String name = objects.name("smoke");
        ByteBuffer message = ByteBuffer.allocateDirect(Workload.MAX_MESSAGE);
        try (Session session = Session.start(transport, name, true, TIMEOUT, -1)) {
            long[] roundTrips = new long[200];
            assertTrue(session.pingPong(message, 64, 200, roundTrips) > 0);
            assertTrue(roundTrips[199] > 0, "every round trip was timed");

            session.stream(message, 592, 300, true);
            if (transport.pipelines()) {
                session.stream(message, 592, 3000, false);
            }
            session.stream(message, Workload.BULK.messageSize(), 9, false);
            // Odd sizes too, so that nothing depends on the workloads' round numbers.
            session.pingPong(message, 1000 + 3, 50, roundTrips);
            session.stream(message, 8, 100, true);

            session.finish(TIMEOUT);
        }
    }
}
