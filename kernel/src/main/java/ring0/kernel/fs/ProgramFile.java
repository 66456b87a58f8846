package ring0.kernel.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TRUSTED. Reading a program file for {@code spawn}: the file must be a
 * regular file with an execute bit (else {@code EACCES}, as Linux's
 * {@code execve}), of at most a given size (else {@code ENOEXEC}); it is read
 * through the VFS, so through the page cache, and sees writes not yet
 * written back.
 *
 * @param bytes the file's contents, or {@code null} on failure
 * @param errno 0, or the error
 */
public record ProgramFile(byte[] bytes, int errno) {
    /**
     * Reads {@code path} (a program's bytes, resolved in {@code vfs}'s root);
     * devices would be bound to {@code std} but are refused. Never throws for
     * anything a program can cause.
     */
    public static ProgramFile read(Vfs vfs, byte[] path, StdStreams std, long maxSize) {
        OpenFile f;
        try {
            f = vfs.open(path, OpenFlags.O_RDONLY, 0, std);
        } catch (FsError e) {
            return new ProgramFile(null, e.errno);
        }
        try (Arena arena = Arena.ofConfined()) {
            if (!(f instanceof RegularFile)) return new ProgramFile(null, Errno.EACCES);
            Stat st = f.stat();
            if ((st.mode() & 0111) == 0) return new ProgramFile(null, Errno.EACCES);
            if (st.size() > maxSize) return new ProgramFile(null, Errno.ENOEXEC);
            MemorySegment buf = arena.allocate(Math.max(1, st.size()));
            long off = 0;
            while (off < st.size()) {
                long n = f.read(buf, off, st.size() - off);
                if (n < 0) return new ProgramFile(null, (int) -n);
                if (n == 0) break;
                off += n;
            }
            return new ProgramFile(buf.asSlice(0, off).toArray(ValueLayout.JAVA_BYTE), 0);
        } finally {
            f.close();
        }
    }
}
