package dev.shmipc.common;

import java.util.Locale;

/**
 * A failed operating-system call on a named IPC object.
 *
 * <p>Carries everything needed to act on the failure or to report it in one line: the native
 * call that failed, the object's name as the program gave it, the OS error code ({@code errno}
 * on Linux and macOS, {@code GetLastError()} on Windows), the OS's own message for that code, and
 * a portable {@link Reason} so that callers can react without knowing per-OS error numbers.
 */
public class IpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a call failed, the same on every OS. */
    public enum Reason {
        /** No object of that name exists ({@code ENOENT}, {@code ERROR_FILE_NOT_FOUND}). */
        NOT_FOUND,
        /** An object of that name already exists ({@code EEXIST}, {@code ERROR_ALREADY_EXISTS}). */
        ALREADY_EXISTS,
        /** The object exists but this process may not use it ({@code EACCES}, {@code ERROR_ACCESS_DENIED}). */
        ACCESS_DENIED,
        /** The object is smaller than the caller needs; nothing was mapped. */
        TOO_SMALL,
        /** A wait ran out of time. */
        TIMEOUT,
        /** Any other failure; see {@link #errorCode()} and {@link #osMessage()}. */
        OTHER
    }

    private final String call;
    private final String objectName;
    private final int errorCode;
    private final String osMessage;
    private final Reason reason;

    /**
     * @param call       the native call that failed, for example {@code shm_open}
     * @param objectName the object's name as the program gave it
     * @param errorCode  errno or GetLastError, or 0 where the failure did not come from the OS
     * @param osMessage  the OS's message for {@code errorCode}, or a description of the failure
     * @param reason     the portable reason
     */
    public IpcException(String call, String objectName, int errorCode, String osMessage, Reason reason) {
        super(format(call, objectName, errorCode, osMessage));
        this.call = call;
        this.objectName = objectName;
        this.errorCode = errorCode;
        this.osMessage = osMessage;
        this.reason = reason;
    }

    private static String format(String call, String objectName, int errorCode, String osMessage) {
        String code = errorCode == 0 ? "" : String.format(Locale.ROOT, " (%s %d)",
                OsFamily.current() == OsFamily.WINDOWS ? "error" : "errno", errorCode);
        return call + " '" + objectName + "' failed: " + osMessage + code;
    }

    /** The native call that failed, for example {@code shm_open} or {@code OpenFileMapping}. */
    public String call() {
        return call;
    }

    /** The object's name as the program gave it (the portable name). */
    public String objectName() {
        return objectName;
    }

    /** errno (Linux, macOS) or GetLastError (Windows); 0 where the OS reported no error. */
    public int errorCode() {
        return errorCode;
    }

    /** The OS's own message for {@link #errorCode()}, or a description of the failure. */
    public String osMessage() {
        return osMessage;
    }

    /** The portable reason. */
    public Reason reason() {
        return reason;
    }
}
