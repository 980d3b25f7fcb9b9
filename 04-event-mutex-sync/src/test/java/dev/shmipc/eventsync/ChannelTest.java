package dev.shmipc.eventsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.NamedEvent;
import dev.shmipc.common.NamedMutex;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's side of the channel against the mapping a native client makes: the record only. */
class ChannelTest {
    private final Contract.Names names = Contract.Names.of(TestNames.unique("chan"));

    @AfterEach
    void nothingLeftBehind() {
        Channel.removeAll(names);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void theServerOpensAMappingOfExactlyOneRecordWithoutAToken() {
        // What the article's C++ client makes: sizeof(WIN32_FIND_DATA) bytes, no run token.
        try (SharedMemory mapping = SharedMemory.create(names.mapping(), Contract.RECORD_SIZE);
             NamedEvent newData = NamedEvent.create(names.serverNewData(), false);
             NamedEvent readFinish = NamedEvent.create(names.clientReadFinish(), true);
             NamedMutex lock = NamedMutex.create(names.lockMutex(), false);
             Channel server = Channel.open(names)) {
            assertEquals(Contract.RECORD_SIZE, mapping.size());
            assertEquals(List.of(names.serverNewData(), names.clientReadFinish(), names.lockMutex()),
                    List.of(newData.name(), readFinish.name(), lock.name()));
            assertEquals(Contract.NO_TOKEN, server.runToken());
            assertTrue(Channel.belongsTo(names, Contract.NO_TOKEN), "without tokens, runs cannot be told apart");
        }
    }

    @Test
    void aJavaClientsMappingCarriesANonZeroTokenThatIdentifiesItsRun() {
        try (Channel client = Channel.create(names); Channel server = Channel.open(names)) {
            long token = client.runToken();
            assertNotEquals(Contract.NO_TOKEN, token);
            assertEquals(token, server.runToken());
            assertTrue(Channel.belongsTo(names, token));
            assertFalse(Channel.belongsTo(names, token + 1), "another run's token");
        }
        assertFalse(Channel.belongsTo(names, 1), "gone with its creator");
    }
}
