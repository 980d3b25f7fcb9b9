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
 * its own, with JNA and the JDK and nothing else (not the program helpers beside it, not JUnit),
 * and its FFM binding with nothing but the JDK and that package.
 */
class NativeLayerTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "shmipc", "common");
    private static final Path FFM_SOURCES = Path.of("src", "main", "java22", "dev", "shmipc", "common");

    @Test
    void compilesWithOnlyJnaOnTheClassPath(@TempDir Path out) throws IOException, URISyntaxException {
        String classPath = jarOf(Native.class) + File.pathSeparator + jarOf(Kernel32.class);
        String diagnostics = compile(SOURCES, "17", classPath, out);
        assertEquals("", diagnostics, "the native layer needs something besides JNA");
    }

    @Test
    @EnabledForJreRange(minVersion = NativeBinding.FFM_JAVA)
    void theFfmBindingCompilesWithoutJna(@TempDir Path out) throws IOException, URISyntaxException {
        String jna = jarOf(Native.class) + File.pathSeparator + jarOf(Kernel32.class);
        Path base = Files.createDirectory(out.resolve("base"));
        assertEquals("", compile(SOURCES, "17", jna, base), "the native layer");
        String diagnostics = compile(FFM_SOURCES, Integer.toString(NativeBinding.FFM_JAVA), base.toString(),
                Files.createDirectory(out.resolve("ffm")));
        assertEquals("", diagnostics, "the FFM binding needs something besides the JDK and the native layer");
    }

    /** Compiles the sources of one directory: javac's diagnostics, empty if it compiled. */
    private static String compile(Path directory, String release, String classPath, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK, which has a compiler");
        List<String> sources;
        try (Stream<Path> files = Files.list(directory)) { // this package only, not program/
            sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(sources.size() > 2, "found the sources: " + sources);
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
