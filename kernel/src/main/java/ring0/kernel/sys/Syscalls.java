package ring0.kernel.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import ring0.kernel.fs.Errno;
import ring0.kernel.proc.Process;

/**
 * TRUSTED. The kernel side of every upcall trampoline: one FFM upcall stub,
 * {@code long dispatch(long number, long a0, long a1, long a2, long a3)},
 * shared by all processes. It finds the calling process through its thread,
 * checks the call number against the table ({@link Call}) and runs the
 * handler.
 *
 * <p>No exception ever leaves {@link #dispatch} (one would kill the JVM):
 * program errors are {@code -errno} results; anything thrown is a broken
 * kernel invariant, which ends the calling process loudly
 * ({@link Process#panic}) and returns {@code -EFAULT} to a trampoline that
 * then unwinds.
 *
 * <p>Locking: none here; handlers lock as their subsystems document.
 */
@SuppressWarnings("restricted") // the one upcall stub through which programs enter the kernel
public final class Syscalls {
    private Syscalls() {}

    private static final MemorySegment STUB;

    static {
        try {
            var mh = MethodHandles.lookup().findStatic(Syscalls.class, "dispatch",
                    MethodType.methodType(long.class, long.class, long.class, long.class, long.class, long.class));
            STUB = Linker.nativeLinker().upcallStub(mh,
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Address of the upcall stub the trampolines call. */
    public static long dispatcher() { return STUB.address(); }

    /** The upcall's target. Contract: never throws; returns the result for rax. */
    static long dispatch(long number, long a0, long a1, long a2, long a3) {
        Process p = null;
        try {
            p = Process.current();
            if (p == null) return -Errno.EPERM; // only process threads run programs: cannot happen
            Call c = Call.byNumber(number);
            if (c == null) {
                p.panic("system call number " + number + " is outside the table", null);
                return -Errno.ENOSYS;
            }
            return switch (c) {
                case EXIT -> {
                    p.exit(a0);
                    yield a0;
                }
                case STOP -> {
                    p.stopped();
                    yield 0;
                }
                case READ -> FileCalls.read(p, a0, a1, a2);
                case WRITE -> FileCalls.write(p, a0, a1, a2);
                case OPEN -> FileCalls.open(p, a0, a1, a2);
                case CLOSE -> p.fds().close(a0);
                case LSEEK -> p.fds().lseek(a0, a1, a2);
                case FSTAT -> FileCalls.fstat(p, a0, a1);
                case FSYNC -> p.fds().fsync(a0);
                case GETPID -> p.pid();
                case GETPPID -> p.ppid();
                case CLOCK -> System.nanoTime();
                case ALLOC -> MemoryCalls.alloc(p, a0);
                case NEWBYTES -> MemoryCalls.newBytes(p, a0);
                case NEWWORDS -> MemoryCalls.newWords(p, a0);
                case SPAWN -> ProcessCalls.spawn(p, a0, a1);
                case WAIT -> p.waitChild(a0);
                case KILL -> p.killProcess(a0);
            };
        } catch (Throwable t) {
            try {
                if (p != null) p.panic("system call " + number + " failed", t);
            } catch (Throwable ignored) {
                // nothing more can be done without risking an exception in the upcall
            }
            return -Errno.EFAULT;
        }
    }
}
