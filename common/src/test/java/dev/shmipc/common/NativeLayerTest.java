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
import org.junit.jupiter.api.io.TempDir;

/**
 * The native layer is what people copy: the package {@code dev.shmipc.common} must compile on
 * its own, with JNA and the JDK and nothing else (not the program helpers beside it, not JUnit).
 */
class NativeLayerTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "shmipc", "common");

    @Test
    void compilesWithOnlyJnaOnTheClassPath(@TempDir Path out) throws IOException, URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK, which has a compiler");
        List<String> sources;
        try (Stream<Path> files = Files.list(SOURCES)) { // this package only, not program/
            sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(sources.size() > 10, "found the native layer's sources: " + sources);
        String classPath = jarOf(Native.class) + File.pathSeparator + jarOf(Kernel32.class);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none",
                "-implicit:none", "-sourcepath", "", "-classpath", classPath, "-d", out.toString()));
        arguments.addAll(sources);
        int exit = javac.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
        assertEquals(0, exit, "the native layer needs something besides JNA:\n" + diagnostics.toString());
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
