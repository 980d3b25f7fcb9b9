package dev.shmipc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run was made on, printed with every result: figures mean little without it.
 *
 * @param cpu  the CPU model from {@code /proc/cpuinfo} where there is one, else the architecture
 * @param cpus the CPUs this JVM may use
 * @param os   name, version and architecture
 * @param jdk  the runtime's name and version
 */
record MachineInfo(String cpu, int cpus, String os, String jdk) {
    static MachineInfo current() {
        return new MachineInfo(cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                List<String> lines = Files.readAllLines(cpuinfo);
                for (String key : List.of("model name", "Model", "Hardware", "Processor", "cpu model")) {
                    for (String line : lines) {
                        int colon = line.indexOf(':');
                        if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                            return line.substring(colon + 1).trim();
                        }
                    }
                }
            } catch (IOException e) {
                // Fall through to the architecture: the model is informative, not essential.
            }
        }
        return "unknown CPU model (" + System.getProperty("os.arch") + ")";
    }

    /**
     * The 1-minute load average now, or "n/a" where the OS does not report one (Windows). Printed
     * before and after a run: a load near or above the CPU count means others were running too.
     */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }
}
