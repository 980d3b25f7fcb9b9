package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.util.ArrayList;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native layer is what people copy: the package {@code dev.shmipc.common} must compile on
 * its own, with JNA and the JDK and nothing else (not the program helpers beside it, not JUnit);
 * and for Java 22 and later, without its two JNA classes and with the FFM binding, from the JDK
 * alone.
 */
class NativeLayerTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "shmipc", "common");
    private static final Path FFM_SOURCES = Path.of("src", "main", "java22", "dev", "shmipc", "common");

    @Test
    void compilesWithOnlyJnaOnTheClassPath(@TempDir Path out) throws IOException, URISyntaxException {
        String classPath = jarOf(Native.class) + File.pathSeparator + jarOf(Kernel32.class);
        assertEquals("", compile(sources(SOURCES), "17", classPath, out), "the native layer needs something besides JNA");
    }

    @Test
    @EnabledForJreRange(minVersion = NativeBinding.FFM_JAVA)
    void withTheFfmBindingInsteadOfJnaItNeedsOnlyTheJdk(@TempDir Path out) throws IOException {
        List<String> sources = sources(SOURCES).stream()
                .filter(f -> !Path.of(f).getFileName().toString().startsWith("Jna")).collect(Collectors.toList());
        sources.addAll(sources(FFM_SOURCES));
        String diagnostics = compile(sources, Integer.toString(NativeBinding.FFM_JAVA), "", out);
        assertEquals("", diagnostics, "the native layer with the FFM binding needs something besides the JDK");
    }

    /** The sources of one directory (this package only, not program/). */
    private static List<String> sources(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<String> sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
            assertTrue(sources.size() > 2, "found the sources: " + sources);
            return sources;
        }
    }

    /** Compiles {@code sources}: javac's diagnostics, empty if they compiled. */
    private static String compile(List<String> sources, String release, String classPath, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK, which has a compiler");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("--release", release, "-proc:none",
                "-implicit:none", "-sourcepath", "", "-classpath", classPath, "-d", out.toString()));
        arguments.addAll(sources);
        int exit = javac.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
        return exit == 0 ? "" : diagnostics.toString();
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
