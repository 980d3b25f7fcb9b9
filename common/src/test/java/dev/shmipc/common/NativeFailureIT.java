package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native failures a user can provoke, each in a child JVM run as a program is: one line on
 * standard error, exit 1, no JVM crash (no hs_err file), nothing left in {@code /dev/shm}.
 */
@EnabledOnOs(OS.LINUX)
class NativeFailureIT {
    private final TestObjects objects = new TestObjects();

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    void aFileSizeLimitIsOneLineAndLeavesNoObject() throws Exception {
        // ulimit -f counts 1 KiB blocks: 8 MiB is room for JNA's own library, not for a 64 MiB object.
        // The kernel sends SIGXFSZ with the EFBIG; HotSpot catches and ignores it, so ftruncate returns.
        String name = objects.name("fsize");
        Result result = run("ulimit -f 8192", "create", name, Integer.toString(64 << 20));
        result.assertOneLine("[peer] error: ftruncate '" + name + "' failed: File too large (errno 27)");
    }

    @Test
    void aFileSizeLimitTooSmallForJnaSaysWhyJnaCannotLoad() throws Exception {
        // JNA writes its native library to a temporary file before loading it: 100 KiB is too little.
        // (The FFM binding loads nothing of its own: JNA is forced, to be tested on every JDK.)
        String name = objects.name("jna");
        Result result = runWithBinding("jna", "ulimit -f 100", "create", name, "64");
        Assumptions.assumeTrue(result.exit != 0, "JNA loaded without writing its library: " + result.stdout);
        result.assertOneLine("[peer] error: cannot load the native libraries: Failed to create temporary file"
                + " for /com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/libjnidispatch.so library: File too large");
    }

    @Test
    void anAddressSpaceLimitIsOneLineAndLeavesNoObject() throws Exception {
        // A small JVM fits in 1 GiB of address space; a 2 GiB mapping does not.
        String name = objects.name("vsize");
        Result result = run("ulimit -v 1048576", "create", name, Integer.toString(Integer.MAX_VALUE));
        result.assertOneLine("[peer] error: mmap '" + name + "' failed: Cannot allocate memory (errno 12)");
    }

    @Test
    void aTruncatedSemaphoreIsRefusedNotACrash() throws Exception {
        String name = objects.name("semtrunc");
        try (NamedEvent event = NamedEvent.create(name, true)) {
            Path file = Path.of("/dev/shm/sem." + name);
            assertEquals(32, Files.size(file), "glibc's sizeof(sem_t) on 64-bit");
            try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
                raw.setLength(0);
            }
            run("", "await", name).assertOneLine("[peer] error: sem_open '" + name + "' failed: /dev/shm/sem." + name
                    + " is 0 bytes, not a semaphore (32 bytes): it was truncated, or not made by sem_open");
            event.unlink();
        }
    }

    @Test
    void aForeignSemaphoreFileIsRefused() throws Exception {
        String name = objects.name("semforeign");
        try (NamedEvent event = NamedEvent.create(name, true)) {
            PosixSemaphore.unlink(ObjectName.of(name));
            Files.writeString(Path.of("/dev/shm/sem." + name), "junk\n");
            run("", "await", name).assertOneLine("[peer] error: sem_open '" + name + "' failed: /dev/shm/sem." + name
                    + " is 5 bytes, not a semaphore (32 bytes): it was truncated, or not made by sem_open");
            Files.delete(Path.of("/dev/shm/sem." + name));
            Files.createDirectory(Path.of("/dev/shm/sem." + name));
            run("", "await", name).assertOneLine("[peer] error: sem_open '" + name + "' failed: /dev/shm/sem." + name
                    + " is a directory, not a semaphore");
            Files.delete(Path.of("/dev/shm/sem." + name));
            event.unlink();
        }
    }

    @Test
    void anObjectTruncatedUnderAReaderIsOneLineNamingIt() throws Exception {
        String name = objects.name("shrunk");
        run("", "truncate", name).assertOneLine("[peer] error: /" + name
                + " shrank under this process (a peer truncated it to 100 bytes; 65536 are mapped)");
    }

    /** What a child printed and how it ended. */
    private final class Result {
        final int exit;
        final List<String> stdout;
        final List<String> stderr;

        Result(int exit, List<String> stdout, List<String> stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        void assertOneLine(String expected) throws IOException {
            String all = "exit " + exit + ", stdout " + stdout + ", stderr " + stderr;
            assertEquals(List.of(expected), stderr, all);
            assertEquals(1, exit, all);
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("hs_err")).toList(), "the JVM crashed: " + all);
            }
        }
    }

    /** Runs {@link FailingPeer} with this JVM's binding; see {@link #runWithBinding}. */
    private Result run(String limit, String... args) throws Exception {
        return runWithBinding(System.getProperty(NativeBinding.PROPERTY, ""), limit, args);
    }

    /**
     * Runs {@link FailingPeer} in a small JVM with the {@code binding} given ({@code jna},
     * {@code ffm}, or empty for the default), after {@code limit} (a shell command) in its shell.
     */
    private Result runWithBinding(String binding, String limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", limit + (limit.isEmpty() ? "" : " && ")
                + "exec \"$0\" \"$@\"", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // Small in address space, for the ulimit -v test; a crash leaves its report in dir.
                "-Xmx32m", "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:CompressedClassSpaceSize=64m",
                "-XX:MaxMetaspaceSize=64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-Dfile.encoding=UTF-8",
                "--enable-native-access=ALL-UNNAMED", // JDK 22+ would warn about JNA otherwise; 17 accepts it
                "-D" + NativeBinding.PROPERTY + "=" + binding,
                FailingPeer.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // glibc reserves 64 MiB per arena otherwise
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child did not end within 2 minutes");
        }
        return new Result(process.exitValue(), Files.readAllLines(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
