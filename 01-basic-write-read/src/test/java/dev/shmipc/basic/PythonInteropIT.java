package dev.shmipc.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shmipc.common.program.JvmProcess;
import dev.shmipc.common.testing.TestObjects;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Python's {@code multiprocessing.shared_memory} and these programs name the same objects: a
 * portable name {@code x} is {@code /x} on Linux for both.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PythonInteropIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path SCRIPTS = Path.of("src", "test", "python");
    private final TestObjects objects = new TestObjects();

    @BeforeAll
    static void pythonIsThere() throws Exception {
        boolean present;
        try {
            Process probe = new ProcessBuilder("python3", "-c",
                    "import multiprocessing.shared_memory").redirectErrorStream(true).start();
            present = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        String skipped = "python3 with multiprocessing.shared_memory (3.8+) is not installed: interop not tested";
        if (!present) {
            System.err.println("[skipped] " + skipped); // on the console, not only in the report
        }
        assumeTrue(present, skipped);
    }

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
    }

    @Test
    void pythonOpensWhatTheJavaWriterCreated() throws Exception {
        String name = objects.name("py-open");
        try (JvmProcess writer = JvmProcess.start(Writer.class, "message", "--name", name)) {
            writer.awaitLine(line -> line.startsWith("[writer] holding"), TIMEOUT);
            Process python = new ProcessBuilder("python3", SCRIPTS.resolve("open_message.py").toString(), name)
                    .redirectErrorStream(true).start();
            List<String> out = readAll(python);
            assertEquals(List.of("python read: " + Contract.MESSAGE), out);
            assertEquals(0, python.exitValue());
            // Python must not have removed the writer's object: the writer still finds it.
            writer.writeLine("");
            assertEquals(0, writer.waitFor(TIMEOUT));
            assertTrue(writer.stdout().contains("[writer] removed " + name), writer.stdout()::toString);
        }
    }

    @Test
    void theJavaReaderOpensWhatPythonCreated() throws Exception {
        String name = objects.name("py-create");
        String text = "hello from Python";
        Process python = new ProcessBuilder("python3", SCRIPTS.resolve("create_message.py").toString(), name, text)
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
             OutputStreamWriter in = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8)) {
            assertEquals("ready", out.readLine());
            try (JvmProcess reader = JvmProcess.start(Reader.class, "message", "--name", name)) {
                assertEquals(0, reader.waitFor(TIMEOUT), reader.stderr()::toString);
                assertEquals(List.of("[reader] Server told us : " + text), reader.stdout());
            }
            in.write("\n");
            in.flush();
            assertEquals("removed", out.readLine());
        } finally {
            if (!python.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                python.destroyForcibly();
            }
        }
        assertEquals(0, python.exitValue());
    }

    private static List<String> readAll(Process process) throws Exception {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("python did not finish within " + TIMEOUT);
            }
            return out.lines().collect(java.util.stream.Collectors.toList());
        }
    }
}
