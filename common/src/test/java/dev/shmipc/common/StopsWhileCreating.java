package dev.shmipc.common;

import dev.shmipc.common.program.Cli;
import java.util.Set;

/**
 * A child program for the tests: a signal comes while it makes its object. It starts the JVM's
 * shutdown itself (as SIGTERM would), keeps it open with a slow hook, and then, with the
 * shutdown under way, goes on: {@code late-hook} creates the object and only then asks for it
 * to be removed on exit; {@code late-create} starts to create it.
 */
public final class StopsWhileCreating {
    private StopsWhileCreating() {
    }

    public static void main(String[] args) {
        Cli.main("stops", "StopsWhileCreating late-hook|late-create NAME", Set.of(), Set.of(), args, parsed -> {
            String name = parsed.positional(2).get(1);
            SharedMemory early = parsed.positional(2).get(0).equals("late-hook") ? SharedMemory.create(name, 64) : null;
            Runtime.getRuntime().addShutdownHook(new Thread(StopsWhileCreating::sleepASecond, "slow hook"));
            new Thread(() -> System.exit(143), "as SIGTERM would").start();
            while (!ExitHook.exiting()) {
                Thread.onSpinWait();
            }
            if (early != null) {
                early.unlinkOnExit(); // too late for a hook: the name goes now
                System.out.println("asked");
            } else {
                SharedMemory.create(name, 64).unlinkOnExit();
                System.out.println("created"); // never: the creation refuses to start
            }
            sleepASecond(); // the JVM halts when the slow hook returns
            return Cli.EXIT_OK;
        });
    }

    private static void sleepASecond() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
