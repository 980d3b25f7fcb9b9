package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Java 22 and later {@code common} needs no JNA: a program whose class path has common and
 * nothing of JNA makes, opens and uses shared memory, an event and a mutex, through the FFM
 * binding, and prints no warning (the JVM is started with native access enabled, as every
 * launcher of this project does).
 */
@EnabledForJreRange(minVersion = NativeBinding.FFM_JAVA)
class NoJnaIT {
    private final TestObjects objects = new TestObjects();

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void aProgramRunsWithJnaAbsentFromItsClassPath() throws Exception {
        String name = objects.name("nojna");
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jna"))
                .collect(Collectors.joining(File.pathSeparator));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "--enable-native-access=ALL-UNNAMED", NoJnaPeer.class.getName(), name)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child did not end within a minute");
        }
        List<String> out = Files.readAllLines(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        List<String> err = Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        String all = "exit " + process.exitValue() + ", stdout " + out + ", stderr " + err;
        assertEquals(List.of(), err, all); // no error, and no native-access warning
        assertEquals(0, process.exitValue(), all);
        assertTrue(out.contains("[nojna] binding FFM, JNA absent"), all);
        assertTrue(out.contains("[nojna] shared memory: 42"), all);
        assertTrue(out.contains("[nojna] event: false then true"), all);
        assertTrue(out.contains("[nojna] mutex: ACQUIRED"), all);
    }
}
