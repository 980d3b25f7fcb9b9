package dev.shmipc.eventsync;

import dev.shmipc.common.program.Cli;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The article's recursive {@code FindFile}, as a {@link java.nio.file.FileVisitor}: every file's
 * record goes to a {@link Callback}, the article's {@code FileFoundCallback}, numbered 1, 2, 3 ...
 * Directories are walked, not sent, as in the article; symbolic links are sent as entries, not
 * followed. What the article does not do: a directory it cannot read is reported and skipped,
 * and the walk goes on; a name too long for {@code cFileName} is shortened and said.
 */
final class Walker extends SimpleFileVisitor<Path> {
    /** What the walk hands each file's record to. */
    @FunctionalInterface
    interface Callback {
        void found(FindData record) throws InterruptedException;
    }

    private final Callback callback;
    private int found;
    private int skipped;

    Walker(Callback callback) {
        this.callback = callback;
    }

    /**
     * The DIRECTORY argument of both programs: an empty one is bad input ({@code Path.of("")}
     * would be the current directory).
     */
    static Path directoryArgument(String argument) {
        if (argument.isEmpty()) {
            throw new Cli.UsageException("DIRECTORY is empty: give the directory to list");
        }
        return Path.of(argument);
    }

    /** A DIRECTORY that is missing or is not a directory: one line that says which. */
    static void checkDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new Cli.Failure((Files.exists(directory) ? "not a directory: " : "no such directory: ") + directory);
        }
    }

    /** Walks {@code directory} {@code rounds} times, numbering the records on across rounds. */
    void walk(Path directory, int rounds) {
        try {
            Path start = directory.toRealPath(); // a link to a directory is walked, not sent
            for (int round = 0; round < rounds; round++) {
                Files.walkFileTree(start, this);
            }
        } catch (IOException e) {
            throw new Cli.Failure("cannot list " + directory + ": " + reason(e));
        }
    }

    /** How many entries could not be read. */
    int skipped() {
        return skipped;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        FindData record = FindData.of(file, attributes, found + 1);
        if (record.nameShortened()) {
            Cli.say("name longer than %d characters, sent shortened: %s", FindData.MAX_NAME_LENGTH, file.getFileName());
        }
        try {
            callback.found(record);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cli.Failure("interrupted");
        }
        found++;
        return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
        skipped++;
        Cli.say("cannot read %s (%s), skipped", file, reason(e));
        return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
        if (e != null) {
            skipped++;
            Cli.say("cannot read all of %s (%s), skipped the rest", dir, reason(e));
        }
        return FileVisitResult.CONTINUE;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it vanished";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
