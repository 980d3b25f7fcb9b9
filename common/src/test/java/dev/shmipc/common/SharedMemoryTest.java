package dev.shmipc.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shmipc.common.testing.TestNames;
import dev.shmipc.common.testing.TestObjects;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The shared-memory API on the OS the tests run on; per-OS details are tagged with @EnabledOnOs.
 * A test removes what it made as its own last step, as a program does, and not in a
 * {@code finally}: a test that leaves a name behind fails in the check after it.
 */
class SharedMemoryTest {
    private final TestObjects objects = new TestObjects();

    @AfterEach
    void nothingLeftBehind() {
        objects.assertNoneLeft();
    }

    @Test
    void createThenOpenFromASecondHandleSeesTheSameBytes() {
        String name = objects.name("shm");
        try (SharedMemory owner = SharedMemory.create(name, 4096);
             SharedMemory other = SharedMemory.open(name)) {
            assertFalse(owner.existed());
            assertTrue(other.existed());
            owner.buffer().put(0, new byte[] {1, 2, 3, 4});
            byte[] seen = new byte[4];
            other.buffer().get(0, seen);
            assertArrayEquals(new byte[] {1, 2, 3, 4}, seen);
            other.buffer().putLong(8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, owner.buffer().getLong(8));
            owner.unlink();
        }
    }

    @Test
    void aNewObjectIsZeroFilled() {
        String name = objects.name("shm");
        try (SharedMemory shm = SharedMemory.create(name, 100)) {
            ByteBuffer buffer = shm.buffer();
            for (int i = 0; i < 100; i++) {
                assertEquals(0, buffer.get(i));
            }
            shm.unlink();
        }
    }

    @Test
    void secondCreateFailsWithAlreadyExists() {
        String name = objects.name("shm");
        try (SharedMemory first = SharedMemory.create(name, 64)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedMemory.create(name, 64));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason());
            assertEquals(name, e.objectName());
            assertEquals(OsFamily.current() == OsFamily.WINDOWS ? 183 : 17, e.errorCode());
            assertEquals(OsFamily.current() == OsFamily.WINDOWS ? "CreateFileMapping" : "shm_open", e.call());
            assertTrue(e.getMessage().startsWith(e.call() + " '" + name + "' failed: "), e.getMessage());
            first.unlink();
        }
    }

    @Test
    void createOrOpenReportsWhetherTheNameExisted() {
        String name = objects.name("shm");
        try (SharedMemory first = SharedMemory.createOrOpen(name, 256);
             SharedMemory second = SharedMemory.createOrOpen(name, 128)) {
            assertFalse(first.existed());
            assertTrue(second.existed());
            assertEquals(128, second.size());
            first.setIntRelease(0, 42);
            assertEquals(42, second.getIntAcquire(0));
            first.unlink();
        }
    }

    @Test
    void createOrOpenRefusesAnExistingObjectThatIsTooSmall() {
        String name = objects.name("shm");
        try (SharedMemory small = SharedMemory.create(name, 16)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedMemory.createOrOpen(name, 1 << 20));
            assertEquals(IpcException.Reason.TOO_SMALL, e.reason());
            small.unlink();
        }
    }

    @Test
    void openingAMissingNameFailsWithNotFound() {
        String name = objects.name("shm");
        IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(name));
        assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
        assertEquals(OsFamily.current() == OsFamily.WINDOWS ? "OpenFileMapping" : "shm_open", e.call());
        assertEquals(2, e.errorCode()); // ENOENT and ERROR_FILE_NOT_FOUND are both 2
    }

    @Test
    void openDiscoversTheSize() {
        String name = objects.name("shm");
        try (SharedMemory owner = SharedMemory.create(name, 10_000);
             SharedMemory opened = SharedMemory.open(name)) {
            assertEquals(10_000, owner.size());
            assertTrue(opened.size() >= 10_000, "at least the size created");
            if (OsFamily.current() == OsFamily.LINUX) {
                assertEquals(10_000, opened.size(), "Linux reports the exact size");
            }
            assertEquals(opened.size(), opened.buffer().capacity());
            owner.unlink();
        }
    }

    @Test
    void openingAnObjectSmallerThanNeededIsAnErrorNotAMapping() {
        String name = objects.name("shm");
        try (SharedMemory owner = SharedMemory.create(name, 100)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(name, 1 << 20));
            assertEquals(IpcException.Reason.TOO_SMALL, e.reason());
            assertTrue(e.getMessage().contains("smaller than the 1048576 bytes needed"), e.getMessage());
            owner.unlink();
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anObjectNotYetSizedCannotBeOpened() throws Exception {
        // What a reader sees between the creator's shm_open and its ftruncate: size 0.
        String name = objects.name("shm");
        int fd = Posix.calls().shmOpen("/" + name, Posix.O_CREAT | Posix.O_EXCL | Posix.O_RDWR, 0600);
        assertTrue(fd >= 0);
        try {
            IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(name));
            assertEquals(IpcException.Reason.TOO_SMALL, e.reason());
            assertTrue(e.getMessage().contains("has no size yet"), e.getMessage());
        } finally {
            Posix.calls().close(fd); // this test's own descriptor; the name is checked after the test
        }
        assertTrue(SharedMemory.unlink(name), "the name of an object with no size can still be removed");
    }

    @Test
    void buffersAreNativeOrderBoundsCheckedAndIndependent() {
        String name = objects.name("shm");
        try (SharedMemory shm = SharedMemory.create(name, 64)) {
            ByteBuffer a = shm.buffer();
            ByteBuffer b = shm.buffer();
            assertEquals(ByteOrder.nativeOrder(), a.order());
            assertEquals(64, a.limit());
            a.position(10);
            assertEquals(0, b.position());
            assertThrows(IndexOutOfBoundsException.class, () -> b.get(64));
            assertThrows(IndexOutOfBoundsException.class, () -> b.putInt(62, 1));
            a.putInt(0, 0x01020304);
            byte first = b.get(0);
            assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 4 : 1, first);
            shm.unlink();
        }
    }

    @Test
    void atomicAccessAtAnOffset() {
        String name = objects.name("shm");
        try (SharedMemory shm = SharedMemory.create(name, 64)) {
            shm.setIntRelease(4, 7);
            assertEquals(7, shm.getIntAcquire(4));
            assertTrue(shm.compareAndSetInt(4, 7, 8));
            assertFalse(shm.compareAndSetInt(4, 7, 9));
            assertEquals(8, shm.getAndAddInt(4, 5));
            assertEquals(13, shm.buffer().getInt(4));

            shm.setLongRelease(8, Long.MAX_VALUE - 1);
            assertEquals(Long.MAX_VALUE - 1, shm.getAndAddLong(8, 1));
            assertTrue(shm.compareAndSetLong(8, Long.MAX_VALUE, 3));
            assertEquals(3, shm.getLongAcquire(8));

            IllegalArgumentException misaligned = assertThrows(IllegalArgumentException.class, () -> shm.getIntAcquire(2));
            assertTrue(misaligned.getMessage().contains("not a multiple of 4"), misaligned.getMessage());
            assertThrows(IllegalArgumentException.class, () -> shm.setLongRelease(4, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> shm.getIntAcquire(64));
            assertThrows(IndexOutOfBoundsException.class, () -> shm.getLongAcquire(-8));
            shm.unlink();
        }
    }

    @Test
    void atomicIncrementsFromManyThreadsAreNotLost() throws Exception {
        String name = objects.name("shm");
        try (SharedMemory a = SharedMemory.create(name, 8); SharedMemory b = SharedMemory.open(name)) {
            int perThread = 100_000;
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                SharedMemory view = t % 2 == 0 ? a : b; // two mappings of one object
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        view.getAndAddInt(0, 1);
                    }
                });
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(threads.length * perThread, a.getIntAcquire(0));
            a.unlink();
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAnErrorNotACrash() {
        String name = objects.name("shm");
        SharedMemory shm = SharedMemory.create(name, 64);
        shm.close();
        shm.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, shm::buffer);
        assertEquals("shared memory '" + name + "' is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> shm.getIntAcquire(0));
        assertTrue(shm.toString().endsWith("closed]"));
        SharedMemory.unlink(name);
    }

    @Test
    void withFfmABufferKeptPastCloseThrowsInsteadOfTouchingUnmappedMemory() {
        // With JNA the same access would crash the JVM: only the FFM binding can be asked this.
        assumeTrue(NativeBinding.current() == NativeBinding.FFM, "the FFM binding");
        String name = objects.name("shm");
        SharedMemory shm = SharedMemory.create(name, 64);
        ByteBuffer kept = shm.buffer();
        kept.putInt(0, 7);
        shm.close();
        assertThrows(IllegalStateException.class, () -> kept.getInt(0));
        SharedMemory.unlink(name);
    }

    @Test
    void badSizesAndNamesAreRejectedBeforeAnyNativeCall() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(objects.name("shm"), 0));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(objects.name("shm"), -1));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(objects.name("shm"), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create("bad/name", 16));
        assertTrue(e.getMessage().startsWith("invalid name 'bad/name'"), e.getMessage());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void theNameOutlivesEveryMappingUntilUnlinked() {
        String name = objects.name("shm");
        SharedMemory.create(name, 32).close();
        try (SharedMemory again = SharedMemory.open(name)) {
            assertTrue(again.existed(), "POSIX: still there after its creator closed it");
        }
        assertTrue(SharedMemory.unlink(name));
        assertFalse(SharedMemory.unlink(name), "a second unlink finds nothing");
        assertEquals(IpcException.Reason.NOT_FOUND,
                assertThrows(IpcException.class, () -> SharedMemory.open(name)).reason());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void mappingsStayUsableAfterTheNameIsRemoved() {
        String name = objects.name("shm");
        try (SharedMemory a = SharedMemory.create(name, 32); SharedMemory b = SharedMemory.open(name)) {
            assertTrue(a.unlink());
            a.buffer().put(0, (byte) 9);
            assertEquals(9, b.buffer().get(0));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxObjectsLiveInDevShmWithMode0600() throws Exception {
        String name = objects.name("shm");
        try (SharedMemory shm = SharedMemory.create(name, 4096)) {
            Path file = Path.of("/dev/shm", name);
            assertTrue(Files.exists(file));
            assertEquals(4096, Files.size(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            shm.unlink();
        }
        assertEquals(List.of(), TestNames.leftoversInDevShm());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void permissionsCanBeWidenedOnRequest() throws Exception {
        String name = objects.name("shm");
        Set<PosixFilePermission> groupToo = PosixFilePermissions.fromString("rw-r-----");
        try (SharedMemory shm = SharedMemory.create(name, 64, groupToo)) {
            Set<PosixFilePermission> actual = Files.getPosixFilePermissions(Path.of("/dev/shm", name));
            assertTrue(actual.containsAll(PosixFilePermissions.fromString("rw-------")));
            assertTrue(groupToo.containsAll(actual), "never more than asked for (umask may take away)");
            shm.unlink();
        }
    }

    @Test
    void theLongestPortableNameWorksForEveryKindOfObject() throws Exception {
        // 29 characters: what macOS's sem_open takes; a 30th used to work for shared memory only.
        String name = objects.name("m".repeat(40));
        assertEquals(ObjectName.MAX_LENGTH, name.length());
        try (SharedMemory shm = SharedMemory.create(name, 64)) {
            assertEquals(OsFamily.current().isPosix() ? "/" + name : "Local\\" + name, shm.nativeName());
            shm.unlink();
        }
        String eventName = objects.name("e".repeat(40));
        try (NamedEvent event = NamedEvent.create(eventName, true)) {
            assertTrue(event.await(Duration.ZERO));
            event.unlink();
        }
        String mutexName = objects.name("x".repeat(40));
        try (NamedMutex mutex = NamedMutex.create(mutexName, false)) {
            assertTrue(mutex.lock(Duration.ZERO).acquired());
            mutex.unlock();
            mutex.unlink();
        }
    }

    @Test
    void aMappingCannotTakeTheNameOfAnEventOnAnyOs() {
        // Windows reports ERROR_INVALID_HANDLE for this; it must say "already exists", as POSIX does.
        String name = objects.name("taken");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedMemory.create(name, 64));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, e.reason(), e.getMessage());
            event.unlink();
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsOpeningAnEventAsAMappingSaysWhatHoldsTheName() {
        String name = objects.name("taken");
        try (NamedEvent event = NamedEvent.create(name, false)) {
            IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(name));
            assertEquals("OpenFileMapping '" + name + "' failed: the name belongs to another kind of object"
                    + " (a file mapping, event or mutex) (error 6)", e.getMessage());
            IpcException both = assertThrows(IpcException.class, () -> SharedMemory.createOrOpen(name, 64));
            assertEquals(IpcException.Reason.ALREADY_EXISTS, both.reason(), both.getMessage());
        }
    }

    /** A directory, FIFO or symbolic link in /dev/shm is named for what it is, not "Invalid argument". */
    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxAFileOfTheWrongKindInDevShmIsNamedForWhatItIs() throws Exception {
        String dir = objects.name("dir");
        String fifo = objects.name("fifo");
        String link = objects.name("link");
        Path devShm = Path.of("/dev/shm");
        try { // these are not shared memory, which the check after the test could remove: remove them here
            Files.createDirectory(devShm.resolve(dir));
            assertEquals(0, new ProcessBuilder("mkfifo", devShm.resolve(fifo).toString()).start().waitFor());
            Files.createSymbolicLink(devShm.resolve(link), devShm.resolve(dir));
            long fds = openFileDescriptors();
            for (String[] expected : new String[][] {{dir, "a directory"}, {fifo, "a FIFO"}, {link, "a symbolic link"}}) {
                String message = "shm_open '" + expected[0] + "' failed: /dev/shm/" + expected[0] + " is "
                        + expected[1] + ", not a shared memory object";
                assertEquals(message, assertThrows(IpcException.class, () -> SharedMemory.open(expected[0])).getMessage());
                assertEquals(message, assertThrows(IpcException.class,
                        () -> SharedMemory.createOrOpen(expected[0], 64)).getMessage());
            }
            assertEquals(fds, openFileDescriptors(), "no descriptor left open");
        } finally {
            Files.deleteIfExists(devShm.resolve(link));
            Files.deleteIfExists(devShm.resolve(fifo));
            Files.deleteIfExists(devShm.resolve(dir));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxAFailedOpenLeavesNoDescriptorOpen() throws Exception {
        String name = objects.name("fd");
        try (SharedMemory small = SharedMemory.create(name, 64)) {
            long fds = openFileDescriptors();
            for (int i = 0; i < 10; i++) {
                assertThrows(IpcException.class, () -> SharedMemory.open(name, 1 << 20));
            }
            try (SharedMemory opened = SharedMemory.open(name)) {
                assertEquals(fds + 1, openFileDescriptors(), "an open mapping holds one descriptor");
            }
            assertEquals(fds, openFileDescriptors());
            small.unlink();
        }
    }

    /** This process's descriptors of files in /dev/shm (others come and go with the JVM's own work). */
    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith("/dev/shm/");
                } catch (IOException e) {
                    return false; // closed since it was listed
                }
            }).count();
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsMappingDiesWithItsLastHandleAndHasNothingToUnlink() {
        String name = objects.name("shm");
        try (SharedMemory owner = SharedMemory.create(name, 100)) {
            assertEquals("Local\\" + name, owner.nativeName());
            try (SharedMemory opened = SharedMemory.open(name)) {
                assertEquals(4096, opened.size(), "VirtualQuery reports whole pages");
            }
            assertFalse(SharedMemory.unlink(name), "nothing to remove on Windows");
            try (SharedMemory again = SharedMemory.open(name)) {
                assertTrue(again.existed(), "still there while the owner holds a handle");
            }
        }
        IpcException e = assertThrows(IpcException.class, () -> SharedMemory.open(name));
        assertEquals(IpcException.Reason.NOT_FOUND, e.reason());
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void windowsCreateOrOpenSeesErrorAlreadyExists() {
        String name = objects.name("shm");
        try (SharedMemory first = SharedMemory.createOrOpen(name, 4096);
             SharedMemory second = SharedMemory.createOrOpen(name, 4096)) {
            assertFalse(first.existed());
            assertTrue(second.existed(), "CreateFileMapping returned the existing object with error 183");
        }
    }
}
