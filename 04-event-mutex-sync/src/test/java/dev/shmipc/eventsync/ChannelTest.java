package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.IpcException;
import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.SharedMemory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The channel's lifecycle: the run token, the server's side against a native client's mapping, clean-up. */
class ChannelTest {
    private final TestRuns runs = new TestRuns();
    private final Contract.Names names = runs.names();

    @AfterEach
    void nothingLeftBehind() {
        runs.assertNoneLeft();
    }

    private static long tokenOf(Channel channel) {
        return channel.buffer.getLongAcquire(Contract.RUN_TOKEN_OFFSET);
    }

    @Test
    void theServerOpensAMappingOfExactlyOneRecordWithoutAToken() {
        // What the article's C++ client makes: sizeof(WIN32_FIND_DATA) bytes, no run token.
        try (SharedMemory mapping = SharedMemory.create(names.mapping(), FindData.SIZE);
             NamedEvent newData = NamedEvent.create(names.serverNewData(), false);
             NamedEvent readFinish = NamedEvent.create(names.clientReadFinish(), true);
             NamedMutex lock = NamedMutex.create(names.lockMutex(), false);
             Channel server = Channel.open(names, 0)) {
            assertEquals(FindData.SIZE, mapping.size());
            assertEquals(List.of(names.serverNewData(), names.clientReadFinish(), names.lockMutex()),
                    List.of(newData.name(), readFinish.name(), lock.name()));
            assertEquals(FindData.SIZE, server.buffer.size());
            assertTrue(Channel.belongsTo(names, Contract.NO_TOKEN), "without tokens, runs cannot be told apart");
            // The test plays the native client: it removes what it made.
            mapping.unlink();
            newData.unlink();
            readFinish.unlink();
            lock.unlink();
        }
    }

    @Test
    void aJavaClientsMappingCarriesANonZeroTokenThatIdentifiesItsRun() {
        try (Channel client = Channel.create(names); Channel server = Channel.open(names, 0)) {
            long token = tokenOf(client);
            assertNotEquals(Contract.NO_TOKEN, token);
            assertEquals(token, tokenOf(server));
            assertTrue(Channel.belongsTo(names, token));
            assertFalse(Channel.belongsTo(names, token + 1), "another run's token");
        }
        assertFalse(Channel.belongsTo(names, 1), "gone with its creator");
    }

    @Test
    void aSecondClientIsRefusedAndLeavesTheFirstOnesNamesAlone() {
        try (Channel first = Channel.create(names)) {
            IpcException e = assertThrows(IpcException.class, () -> Channel.create(names));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
            assertEquals(names.mapping(), e.objectName(), "the mapping comes first");
            Channel.open(names, 0).close(); // all four are still there
        }
    }

    @Test
    void aFailedCreateRemovesWhatItHadMade() {
        try (NamedMutex taken = NamedMutex.create(names.lockMutex(), false)) {
            IpcException e = assertThrows(IpcException.class, () -> Channel.create(names));
            assertEquals(names.lockMutex(), e.objectName(), "the last of the four");
            assertThrows(IpcException.class, () -> SharedMemory.open(names.mapping()), "the mapping went with it");
            assertThrows(IpcException.class, () -> NamedEvent.open(names.serverNewData()));
            taken.unlink();
        }
    }
}
