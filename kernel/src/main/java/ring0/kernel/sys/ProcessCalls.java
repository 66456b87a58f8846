package ring0.kernel.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ring0.kernel.fs.Errno;
import ring0.kernel.proc.Process;

/**
 * TRUSTED. The process system calls whose arguments point into the program's
 * memory: {@code spawn}'s path and argument pieces are checked and copied out
 * here, with the same rules as the Linux thunks (docs/abi.md), before the
 * kernel's launcher sees them.
 *
 * <p>Locking: none here; see {@code ProcessTable} and {@code Process}.
 */
final class ProcessCalls {
    private ProcessCalls() {}

    /** Most argument pieces {@code spawn} takes after argument 0 (more: {@code E2BIG}). */
    static final int MAX_ARGS = 255;

    /**
     * {@code spawn(path, args)}: the whole byte array {@code path} is the
     * path (as for {@code open}); {@code args} holds the further arguments,
     * each ending in a NUL byte. Returns the child's pid or {@code -errno}.
     */
    static long spawn(Process p, long path, long args) {
        MemorySegment pb = UserMemory.bytes(p.memory(), path);
        MemorySegment ab = UserMemory.bytes(p.memory(), args);
        if (pb == null || ab == null) return -Errno.EFAULT;
        long bad = FileCalls.checkPath(pb);
        if (bad != 0) return bad;
        byte[] name = pb.toArray(ValueLayout.JAVA_BYTE);
        List<byte[]> argv = split(ab.toArray(ValueLayout.JAVA_BYTE));
        if (argv == null) return -Errno.EINVAL;
        if (argv.size() > MAX_ARGS) return -Errno.E2BIG;
        argv.addFirst(name);
        return p.spawn(name, argv);
    }

    /** The NUL-terminated pieces of {@code b}, or {@code null} if {@code b} is not empty and does not end in NUL. */
    static List<byte[]> split(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        if (b.length == 0) return out;
        if (b[b.length - 1] != 0) return null;
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(Arrays.copyOfRange(b, start, i));
                start = i + 1;
                if (out.size() > MAX_ARGS) break; // enough to report E2BIG
            }
        }
        return out;
    }
}
