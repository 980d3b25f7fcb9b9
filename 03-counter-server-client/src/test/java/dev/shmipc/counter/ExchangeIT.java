package dev.shmipc.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.SharedMemory;
import dev.shmipc.common.program.Cli;
import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.Signals;
import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Java server and client as separate JVMs: the exchange, and every way it can go wrong. */
class ExchangeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final TestObjects objects = new TestObjects();
    private final String name = objects.name("counter");

    @AfterEach
    void nothingIsLeftBehind() {
        objects.assertNoneLeft();
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
                s.assertArticleRules(10, true);
                c.assertArticleRules(10, true);
                s.assertArticleOrder(10, "created ");
                c.assertArticleOrder(10, "waiting up to ", "opened ");
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
            String error = Transcript.onlyLine(client.stderr());
            assertTrue(error.startsWith("[client] error: "), error);
            assertTrue(error.endsWith("Are you running the server?"), error);
            assertEquals(List.of(), client.stdout());
        }
    }

    @Test
    void clientWaitsForTheServerOnlyAsLongAsItWasTold() throws Exception {
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--wait", "500")) {
            assertEquals(1, client.waitFor(TIMEOUT));
            String error = Transcript.onlyLine(client.stderr());
            assertTrue(error.endsWith("Are you running the server?"), error);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // sizes are exact on Linux; macOS and Windows round up to a page
    void clientAdvisesWaitingOnlyForAnObjectThatMayStillGrow() throws Exception {
        // An object with a size, the wrong one, is not going to grow: no --wait advice, no waiting.
        try (SharedMemory small = SharedMemory.create(name, 3).unlinkOnExit()) {
            for (String wait : List.of("0", "60000")) {
                try (JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--wait", wait)) {
                    assertEquals(1, client.waitFor(TIMEOUT));
                    assertEquals(List.of("[client] error: /" + name + " is 3 bytes, not the 4096 of the server's"
                            + " object: it is another program's, so the client leaves it alone"), client.stderr());
                    assertEquals(List.of(), client.stdout(), "it did not wait");
                }
            }
            small.unlink();
        }
        // An object with no size yet is what a starting server has made: that one may grow.
        Path unsized = Files.createFile(Path.of("/dev/shm", name),
                PosixFilePermissions.asFileAttribute(SharedMemory.OWNER_ONLY));
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", name)) {
            assertEquals(1, client.waitFor(TIMEOUT));
            String error = Transcript.onlyLine(client.stderr());
            assertTrue(error.contains("has no size yet"), error);
            assertTrue(error.endsWith(". If the server is just starting, use --wait."), error);
        }
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--wait", "500")) {
            assertEquals(1, client.waitFor(TIMEOUT));
            assertEquals(List.of("[client] waiting up to 500 ms for /" + name), client.stdout());
            String error = Transcript.onlyLine(client.stderr());
            assertTrue(error.endsWith(". It did not grow within 500 ms: did its server die while starting?"), error);
        }
        Files.delete(unsized); // the client never removes what it did not make
    }

    @Test
    void clientTakesAnObjectThatStaysUnstampedForTheCppServersAndSaysSo() throws Exception {
        // What the article's C++ server makes: the right size, no stamp.
        try (SharedMemory unstamped = SharedMemory.create(name, Contract.SIZE).unlinkOnExit()) {
            try (JvmProcess client = JvmProcess.start(Client.class, "--name", name, "--rounds", "1", "--sleep", "0")) {
                assertEquals(0, client.waitFor(TIMEOUT), client.stderr().toString());
                assertTrue(client.stdout().contains("[client] /" + name + " carries no stamp: taking it for the"
                        + " article's C++ server's, which writes none"), client.stdout().toString());
            }
            assertEquals(1, unstamped.getIntAcquire(Contract.CLIENT_OFFSET), "the client counted");
            unstamped.unlink();
        }
    }

    /** What a server killed with SIGKILL leaves: its object, stamped with its pid; returns the pid. */
    private long killedServer() throws Exception {
        try (JvmProcess crashed = JvmProcess.start(Server.class, "--name", name, "--sleep", "60000")) {
            crashed.awaitLine("[server] I am taller. 1, 0"::equals, TIMEOUT);
            crashed.kill();
            return crashed.toHandle().pid();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void staleObjectIsExplainedLeftUntouchedAndCanBeRemoved() throws Exception {
        long pid = killedServer();
        String leftBy = "left by a server (pid " + pid + ") that is no longer running";
        try (JvmProcess blocked = JvmProcess.start(Server.class, "--name", name, "--rounds", "1", "--sleep", "0")) {
            assertEquals(1, blocked.waitFor(TIMEOUT));
            String error = Transcript.onlyLine(blocked.stderr());
            assertTrue(error.startsWith("[server] error: shm_open '" + name + "' failed: "), error);
            assertTrue(error.contains("It was " + leftBy), error);
            assertTrue(error.endsWith("run the server with --remove-stale, then start it again."), error);
            assertEquals(List.of(), blocked.stdout());
        }
        // The client refuses it before writing anything, also when told to wait.
        try (JvmProcess client = JvmProcess.start(Client.class,
                "--name", name, "--rounds", "1", "--sleep", "0", "--wait", "60000")) {
            assertEquals(1, client.waitFor(TIMEOUT));
            assertEquals(List.of("[client] error: /" + name + " was " + leftBy + "; the client wrote nothing to it."
                    + " Remove it: run the server with --remove-stale."), client.stderr());
            assertEquals(List.of(), client.stdout());
        }
        try (SharedMemory stale = SharedMemory.open(name)) {
            assertEquals(1, stale.getIntAcquire(Contract.SERVER_OFFSET), "the dead server's count");
            assertEquals(0, stale.getIntAcquire(Contract.CLIENT_OFFSET), "nobody wrote the client's slot");
        }
        // --remove-stale removes it, says so in one line, and exits: it runs no server.
        try (JvmProcess remover = JvmProcess.start(Server.class, "--name", name, "--remove-stale")) {
            assertEquals(0, remover.waitFor(TIMEOUT), remover.stderr().toString());
            assertEquals(List.of("[server] removed /" + name + ", " + leftBy), remover.stdout());
            assertEquals(List.of(), remover.stderr());
        }
        assertFalse(SharedMemory.unlink(name), "--remove-stale removed the name");
        try (JvmProcess again = JvmProcess.start(Server.class, "--name", name, "--remove-stale")) {
            assertEquals(0, again.waitFor(TIMEOUT), again.stderr().toString());
            assertEquals(List.of("[server] /" + name + ": nothing there"), again.stdout());
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void removeStaleLeavesARunningServersObject() throws Exception {
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--sleep", "60000")) {
            server.awaitLine("[server] I am taller. 1, 0"::equals, TIMEOUT);
            try (JvmProcess remover = JvmProcess.start(Server.class, "--name", name, "--remove-stale")) {
                assertEquals(1, remover.waitFor(TIMEOUT), remover.stderr().toString());
                assertEquals(List.of("[server] /" + name + ": a server (pid " + server.toHandle().pid() + ") is running on it:"
                        + " left it"), remover.stdout());
            }
            try (SharedMemory running = SharedMemory.open(name)) {
                assertEquals(1, running.getIntAcquire(Contract.SERVER_OFFSET), "still the server's object");
            }
            Signals.interrupt(server);
            assertEquals(130, server.waitFor(TIMEOUT));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // exact sizes, and /proc shows that no process uses it
    void removeStaleRemovesAnObjectThatAServerKilledBeforeItsStampLeft() throws Exception {
        SharedMemory.create(name, Contract.SIZE).close(); // all zero, no stamp, no process uses it
        try (JvmProcess remover = JvmProcess.start(Server.class, "--name", name, "--remove-stale")) {
            assertEquals(0, remover.waitFor(TIMEOUT), remover.stderr().toString());
            assertEquals(List.of("[server] removed /" + name + ", made by a server that stopped before it stamped"
                    + " it: nothing written, and no process uses it"), remover.stdout());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // exact sizes
    void removeStaleLeavesWhatIsNotAServersObject() throws Exception {
        // The article's C++ server writes no stamp: whether it runs cannot be told, so it stays.
        try (SharedMemory unstamped = SharedMemory.create(name, Contract.SIZE).unlinkOnExit()) {
            try (JvmProcess remover = JvmProcess.start(Server.class, "--name", name, "--remove-stale")) {
                assertEquals(1, remover.waitFor(TIMEOUT), remover.stderr().toString());
                assertEquals(List.of("[server] /" + name + ": not this module's: it carries no server's stamp (the"
                        + " article's C++ server writes none, running or not; if none runs, remove it as the article"
                        + " says: rm /dev/shm/" + name + "): left it"), remover.stdout());
            }
            assertTrue(SharedMemory.unlink(name), "the unstamped object was left");
        }
        try (SharedMemory small = SharedMemory.create(name, 8).unlinkOnExit()) {
            try (JvmProcess remover = JvmProcess.start(Server.class, "--name", name, "--remove-stale")) {
                assertEquals(1, remover.waitFor(TIMEOUT), remover.stderr().toString());
                assertEquals(List.of("[server] /" + name + ": not this module's: it is 8 bytes, a server's is 4096:"
                        + " left it"), remover.stdout());
            }
            assertTrue(SharedMemory.unlink(name), "the 8-byte object was left");
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void ctrlCOnTheServerRemovesTheName() throws Exception {
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--sleep", "60000")) {
            server.awaitLine("[server] I am taller. 1, 0"::equals, TIMEOUT);
            try (SharedMemory running = SharedMemory.open(name)) {
                assertEquals(pageRounded(Contract.SIZE), running.size(), "the size the OS reports");
            }
            if (OS.LINUX.isCurrentOs()) {
                assertEquals(SharedMemory.OWNER_ONLY, Files.getPosixFilePermissions(Path.of("/dev/shm", name)),
                        "created with mode 0600");
            }
            Signals.interrupt(server);
            assertEquals(130, server.waitFor(TIMEOUT), "128 + SIGINT");
        }
        assertFalse(SharedMemory.unlink(name), "the server removed its name on Ctrl-C");
    }

    /**
     * {@code size} as the OS reports it for an object opened by name: exact on Linux, rounded up
     * to whole pages elsewhere (16 KiB on arm64 macOS). The page size is measured the same way,
     * as the reported size of a one-byte object.
     */
    private int pageRounded(int size) {
        if (OS.LINUX.isCurrentOs()) {
            return size;
        }
        String probe = objects.name("page");
        try (SharedMemory created = SharedMemory.create(probe, 1); SharedMemory opened = SharedMemory.open(probe)) {
            int page = opened.size();
            created.unlink();
            return (size + page - 1) / page * page;
        }
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--rounds", "0")) {
            assertEquals(2, server.waitFor(TIMEOUT));
            assertEquals(List.of("[server] error: --rounds must be between 1 and 1000000, not 0 " + Cli.HELP_HINT),
                    server.stderr());
        }
        try (JvmProcess client = JvmProcess.start(Client.class, "--name", "/" + name)) {
            assertEquals(2, client.waitFor(TIMEOUT));
            String error = Transcript.onlyLine(client.stderr());
            assertTrue(error.contains("leave out the leading '/'"), error);
            assertTrue(error.endsWith(Cli.HELP_HINT), error);
        }
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--remove-stale", "--rounds", "3")) {
            assertEquals(2, server.waitFor(TIMEOUT));
            assertEquals(List.of("[server] error: --remove-stale removes and exits: it takes only --name "
                    + Cli.HELP_HINT), server.stderr());
        }
    }

    @Test
    void demoRefusesABadNameItselfWithExitTwo() throws Exception {
        // Before: the demo started the client, which refused the name, and the demo exited 1
        // with "no matching line within PT1M".
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--name", "/" + name)) {
            assertEquals(2, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
            assertEquals(List.of(), demo.stdout(), "nothing started");
            String error = Transcript.onlyLine(demo.stderr());
            assertTrue(error.startsWith("[demo] error: invalid name '/" + name + "'"), error);
            assertTrue(error.endsWith(Cli.HELP_HINT), error);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void demoReportsAFailedStepWithItsCauseAndTouchesNoStaleObject() throws Exception {
        long pid = killedServer();
        try (JvmProcess demo = JvmProcess.start(Demo.class, "--name", name, "--rounds", "1")) {
            assertEquals(1, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
            assertEquals(List.of("[demo] error: /" + name + ": left by a server (pid " + pid + ") that is no longer"
                    + " running; the demo needs the name to itself: remove it (Server --remove-stale, for a server's),"
                    + " or give the demo another --name"), demo.stderr());
            assertTrue(demo.stdout().isEmpty(), "nothing started: " + demo.stdout());
        }
        try (SharedMemory stale = SharedMemory.open(name)) {
            assertEquals(1, stale.getIntAcquire(Contract.SERVER_OFFSET), "the dead server's count");
            assertEquals(0, stale.getIntAcquire(Contract.CLIENT_OFFSET), "nobody wrote the client's slot");
            assertTrue(stale.unlink(), "the demo left the stale object alone");
        }
    }

    @Test
    void demoLeavesARunningServerAlone() throws Exception {
        try (JvmProcess server = JvmProcess.start(Server.class, "--name", name, "--sleep", "60000")) {
            server.awaitLine("[server] I am taller. 1, 0"::equals, TIMEOUT);
            try (JvmProcess demo = JvmProcess.start(Demo.class, "--name", name, "--rounds", "1")) {
                assertEquals(1, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
                assertEquals(List.of("[demo] error: /" + name + ": a server (pid " + server.toHandle().pid() + ") is running on"
                        + " it; the demo needs the name to itself: stop that server, or give the demo another --name"),
                        demo.stderr());
                assertEquals(List.of(), demo.stdout(), "nothing started");
            }
            try (SharedMemory running = SharedMemory.open(name)) {
                assertEquals(0, running.getIntAcquire(Contract.CLIENT_OFFSET), "no client joined it");
            }
            server.terminate(); // its hook removes the name (SIGTERM; Windows needs none)
            server.waitFor(TIMEOUT);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void demoRefusesANameThatIsTakenAndTouchesNothing() throws Exception {
        // An object without a stamp (the article's C++ server's, or a stranger's): the demo's
        // client would take it for a C++ server's and count in it, so the demo refuses the name.
        try (SharedMemory unstamped = SharedMemory.create(name, Contract.SIZE).unlinkOnExit();
                JvmProcess demo = JvmProcess.start(Demo.class, "--name", name, "--rounds", "1")) {
            assertEquals(1, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
            String error = Transcript.onlyLine(demo.stderr());
            assertTrue(error.startsWith("[demo] error: /" + name + ": "), error);
            assertTrue(error.endsWith("; the demo needs the name to itself: remove it (Server --remove-stale, for a"
                    + " server's), or give the demo another --name"), error);
            assertEquals(0, unstamped.getIntAcquire(Contract.CLIENT_OFFSET), "the client wrote nothing");
            unstamped.unlink();
        }
    }

    @Test
    void demoRunsBothSides() throws Exception {
        try (JvmProcess demo = JvmProcess.start(Demo.class,
                "--name", name, "--rounds", "3", "--server-sleep", "200", "--client-sleep", "125")) {
            assertEquals(0, demo.waitFor(TIMEOUT), demo.stdout() + " " + demo.stderr());
            List<String> out = demo.stdout();
            Transcript server = new Transcript("server", "[server] ", out);
            Transcript client = new Transcript("client", "[client] ", out);
            server.assertArticleRules(3, true);
            client.assertArticleRules(3, true);
            server.assertArticleOrder(3, "created ");
            client.assertArticleOrder(3, "waiting up to ", "opened ");
            // The demo's own lines: what it runs, and, once both have exited, how they ended.
            assertEquals(List.of("[demo] server and client on '" + name + "', 3 rounds, sleeping 200 and 125 ms"
                    + " (the article: 800 and 500)", "[demo] server exited with 0, client with 0"),
                    out.stream().filter(line -> line.startsWith("[demo] ")).toList());
        }
    }
}
