package dev.shmipc.eventsync;

/**
 * The demo: runs the {@link Client}, which creates the objects and starts the {@link Server} as
 * a child JVM, as the article's client does with {@code ShellExecuteEx}; the server's lines
 * appear among the client's, prefixed {@code [server]}. Arguments go to the client, for example
 * a directory to list, or {@code --repeat 1000 --quiet} for a long run.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] argv) {
        Client.main(argv);
    }
}
