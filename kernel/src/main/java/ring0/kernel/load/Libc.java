package ring0.kernel.load;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * TRUSTED. The kernel's way into the host's C library: downcall handles that
 * capture {@code errno} right after the call (before the JVM can change it),
 * and the buffer that capture goes into. Used by the loader's memory mapping
 * and by the file system's host I/O.
 *
 * <pre>
 *   MethodHandle close = Libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
 *   try (Arena a = Arena.ofConfined()) {
 *       MemorySegment state = Libc.callState(a);
 *       int r = (int) close.invokeExact(state, fd);
 *       if (r < 0) return -Libc.errno(state);
 *   }
 * </pre>
 *
 * <p>Every handle takes the call-state segment as its first argument.
 */
@SuppressWarnings("restricted") // downcalls into libc are what this class is for
public final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * A downcall handle for libc's {@code name} with descriptor {@code fd}
     * that captures errno, with {@code options} added (e.g. where the
     * variadic arguments start).
     *
     * @throws IllegalStateException if libc has no such function
     */
    public static MethodHandle function(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no function " + name));
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(address, fd, all);
    }

    /**
     * A downcall handle that does <em>not</em> capture errno (for calls whose
     * failure needs no reason), for the first of {@code names} that libc has
     * (the same function under a newer and an older name), or {@code null} if
     * it has none of them.
     */
    public static MethodHandle firstOfWithoutErrno(FunctionDescriptor fd, String... names) {
        for (String name : names) {
            var address = LINKER.defaultLookup().find(name);
            if (address.isPresent()) return LINKER.downcallHandle(address.get(), fd);
        }
        return null;
    }

    /** A fresh call-state segment in {@code arena}, for one or more calls' errno. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(STATE);
    }

    /** The errno the last call that used {@code state} left there. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
