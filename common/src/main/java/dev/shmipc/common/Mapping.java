package dev.shmipc.common;

/** One mapped view of a named shared-memory object, as an OS back end hands it over. */
abstract class Mapping {
    /** Java's access to the memory; {@link #release()} closes it before it unmaps. */
    final NativeCalls.View view;
    final long size;
    final boolean existed;

    Mapping(NativeCalls.View view, long size, boolean existed) {
        this.view = view;
        this.size = size;
        this.existed = existed;
    }

    /** Unmaps the view and closes whatever handle the OS still holds for it. Called once. */
    abstract void release();

    /**
     * The object's size now, or -1 where it cannot be asked or cannot change (Windows). Smaller
     * than {@link #size} means a peer truncated the object under this mapping.
     */
    long currentSize() {
        return -1;
    }

    /** The operations every OS provides. */
    interface Backend {
        /** Creates the object, or with {@code openIfExists} opens it if the name is taken. */
        Mapping create(ObjectName name, int size, int mode, boolean openIfExists);

        /** Opens an existing object and maps all of it; fails if it is smaller than {@code minimumSize}. */
        Mapping open(ObjectName name, int minimumSize);

        /** Removes the name; false if there was none. */
        boolean unlink(ObjectName name);

        static Backend current() {
            switch (OsFamily.current()) {
                case LINUX:
                case MACOS:
                    return new PosixBackend();
                case WINDOWS:
                    return new WindowsBackend();
                default:
                    throw OsFamily.unsupported();
            }
        }
    }

    static IpcException tooSmall(ObjectName name, long actual, long needed) {
        return new IpcException("open", name.name(), 0, "the object is " + actual
                + " bytes, smaller than the " + needed + " bytes needed", IpcException.Reason.TOO_SMALL);
    }
}
