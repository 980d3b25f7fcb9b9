package dev.shmipc.common;

/** A child program for the tests: creates an object, removes it on exit, prints "ready", waits. */
public final class HoldsSharedMemory {
    private HoldsSharedMemory() {
    }

    public static void main(String[] args) throws Exception {
        try (SharedMemory shm = SharedMemory.create(args[0], 64).unlinkOnExit()) {
            System.out.println("ready " + shm.nativeName());
            // Stops on a line or end of input; SIGINT/SIGTERM end the JVM and run the hook.
            int read = System.in.read();
            System.out.println("leaving after " + (read < 0 ? "end of input" : "a line"));
            shm.unlink();
        }
    }
}
