package dev.shmipc.common;

/** A child program for the tests: creates an object, removes it on exit, prints "ready", waits. */
public final class HoldsSharedMemory {
    private HoldsSharedMemory() {
    }

    public static void main(String[] args) throws Exception {
        try (SharedMemory shm = SharedMemory.create(args[0], 64).unlinkOnExit()) {
            System.out.println("ready " + shm.nativeName());
            // Stops on a line; a signal ends the JVM and runs the hook; so does a timeout.
            if (System.in.read() < 0) {
                Thread.sleep(60_000);
            }
            System.out.println("leaving after a line");
            shm.unlink();
        }
    }
}
