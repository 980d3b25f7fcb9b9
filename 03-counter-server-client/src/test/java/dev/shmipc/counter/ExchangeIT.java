package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.JvmProcess;
import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Java server and client as separate JVMs: the exchange, and every way it can go wrong. */
class ExchangeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String name = TestNames.unique("counter");

    @AfterEach
    void nothingIsLeftBehind() {
        TestNames.assertNoSharedMemory(name);
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void serverAndClientCountPastEachOther() throws Exception {
        // The client starts first and waits, so the two overlap however slowly the JVMs start.
        try (JvmProcess client = JvmProcess.start(Client.class,
                "--name", name, "--rounds", "10", "--sleep", "200", "--wait", "60000")) {
            client.awaitLine(line -> line.startsWith("[client] waiting up to 60000 ms for "), TIMEOUT);
            try (JvmProcess server = JvmProcess.start(Server.class,
                    "--name", name, "--rounds", "10", "--sleep", "300")) {
                assertEquals(0, client.waitFor(TIMEOUT), "client: " + client.stderr());
                assertEquals(0, server.waitFor(TIMEOUT), "server: " + server.stderr());

                Transcript s = new Transcript("server", "[server] ", server.stdout());
                Transcript c = new Transcript("client", "[client] ", client.stdout());
                assertTrue(server.stdout().get(0).startsWith("[server] created "), server.stdout().toString());
                s.assertArticleRules(10, true);
                c.assertArticleRules(10, true);
                assertTrue(s.sawThePeer(), "the server read the client's writes: " + s);
                assertTrue(c.sawThePeer(), "the client read the server's writes: " + c);
                // Only the server writes int[0] and only the client int[1].
                assertEquals(s.lastOwn(), s.quit()[0], "server's slot at the end");
                assertEquals(c.lastOwn(), c.quit()[1], "client's slot at the end");
                assertEquals(List.of(), server.stderr());
                assertEquals(List.of(), client.stderr());
            }
        }
    }

    @Test
    void clientWithoutServerAsksForIt() throws Exception {
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", name)) {
            assertEquals(1, client.waitFor(TIMEOUT));
            assertEquals(1, client.stderr().size(), client.stderr().toString());
            String error = client.stderr().get(0);
            assertTrue(error.startsWith("[client] error: "), error);
            assertTrue(error.endsWith("Are you running the server?"), error);
            assertEquals(List.of(), client.stdout());
        }
    }

    @Test
    void clientWaitsForTheServerOnlyAsLongAsItWasTold() throws Exception {
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--wait", "500")) {
            assertEquals(1, client.waitFor(TIMEOUT));
            assertTrue(client.stderr().get(0).endsWith("Are you running the server?"), client.stderr().toString());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // sizes are exact on Linux; macOS and Windows round up to a page
    void clientExplainsAnObjectThatNeverGetsItsSize() throws Exception {
        try (SharedMemory unsized = SharedMemory.create(name, 8).unlinkOnExit();
                JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--wait", "500")) {
            assertEquals(1, client.waitFor(TIMEOUT));
            assertEquals(1, client.stderr().size(), client.stderr().toString());
            String error = client.stderr().get(0);
            assertTrue(error.contains("smaller than the 4096 bytes needed"), error);
            assertTrue(error.endsWith(". It did not grow within 500 ms: did its server die while starting,"
                    + " or is it not the server's object?"), error);
            unsized.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void staleObjectIsExplainedAndCanBeRemoved() throws Exception {
        // A server killed with SIGKILL runs no cleanup: its name stays, as after a crash.
        try (JvmProcess crashed = JvmProcess.start(Server.class, "--name", name, "--sleep", "60000")) {
            crashed.awaitLine("[server] I am taller. 1, 0"::equals, TIMEOUT);
            crashed.kill();
        }
        try (JvmProcess blocked = JvmProcess.start(Server.class, "--name", name, "--rounds", "1", "--sleep", "0")) {
            assertEquals(1, blocked.waitFor(TIMEOUT));
            assertEquals(1, blocked.stderr().size(), blocked.stderr().toString());
            String error = blocked.stderr().get(0);
            assertTrue(error.startsWith("[server] error: shm_open '" + name + "' failed: "), error);
            assertTrue(error.contains("left /" + name + " behind"), error);
            assertTrue(error.endsWith("run the server with --remove-stale."), error);
            assertEquals(List.of(), blocked.stdout());
        }
        try (SharedMemory stale = SharedMemory.open(name)) {
            assertTrue(stale.existed(), "the failed start left the stale object alone");
        }
        try (JvmProcess fresh = JvmProcess.start(Server.class,
                "--name", name, "--rounds", "1", "--sleep", "0", "--remove-stale")) {
            assertEquals(0, fresh.waitFor(TIMEOUT), fresh.stderr().toString());
            assertEquals(List.of("[server] removed stale /" + name, "[server] created /" + name + ", 4096 bytes",
                    "[server] I am taller. 1, 0", "[server] Checking client 0", "[server] Quit server: 1, 0"),
                    fresh.stdout());
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnTheServerRemovesTheName() throws Exception {
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--sleep", "60000")) {
            server.awaitLine("[server] I am taller. 1, 0"::equals, TIMEOUT);
            try (SharedMemory running = SharedMemory.open(name)) {
                assertEquals(4096, running.size());
            }
            if (OS.LINUX.isCurrentOs()) {
                assertEquals(SharedMemory.OWNER_ONLY, Files.getPosixFilePermissions(Path.of("/dev/shm", name)),
                        "created with mode 0600");
            }
            server.interrupt();
            assertEquals(130, server.waitFor(TIMEOUT), "128 + SIGINT");
        }
        assertFalse(SharedMemory.unlink(name), "the server removed its name on Ctrl-C");
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--rounds", "0")) {
            assertEquals(2, server.waitFor(TIMEOUT));
            assertTrue(server.stderr().get(0).startsWith("[server] error: --rounds must be between 1 and"),
                    server.stderr().toString());
        }
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", "/" + name)) {
            assertEquals(2, client.waitFor(TIMEOUT));
            assertTrue(client.stderr().get(0).contains("leave out the leading '/'"), client.stderr().toString());
        }
    }

    @Test
    void demoRunsBothSides() throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class,
                "--name", name, "--rounds", "3", "--server-sleep", "200", "--client-sleep", "125")) {
            assertEquals(0, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
            List<String> out = demo.stdout();
            new Transcript("server", "[server] ", out).assertArticleRules(3, true);
            new Transcript("client", "[client] ", out).assertArticleRules(3, true);
            assertEquals("[demo] server exited with 0, client with 0", out.get(out.size() - 1));
        }
    }
}
