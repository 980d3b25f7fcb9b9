package dev.shmipc.counter;

import dev.shmipc.common.program.JvmProcess;
import java.util.List;

/** What the demo and the race report of a program they ran as a child JVM. */
final class Child {
    private Child() {
    }

    /**
     * The child's own error line without its {@code [role] error: } prefix; else the last line it
     * printed on standard error; else that it printed none.
     */
    static String cause(JvmProcess child, String role) {
        String prefix = "[" + role + "] error: ";
        List<String> errors = child.stderr();
        return errors.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()))
                .orElse(errors.isEmpty() ? "it printed no error" : errors.get(errors.size() - 1));
    }
}
