package ring0.abi;

import java.util.Locale;

/**
 * The kernel interface table: every service a program may import, with its
 * arity. This table is part of the trusted base. Programs reach a service only
 * by calling through an import slot ({@code call [rel name]}).
 *
 * <p>Calling convention (the same on every gate): arguments in {@code rdi, rsi,
 * rdx, rcx} in that order, result in {@code rax}. Services that return an int
 * report errors as {@code -errno} (a result in {@code [-4095, -1]}); services
 * that return a pointer ({@link #ALLOC}, {@link #NEWBYTES}, {@link #NEWWORDS})
 * return 0 (null) instead, since the checker types their result as a nullable
 * pointer and a negative value would be a forged one. A call may clobber {@code rax, rcx,
 * rdx, rsi, rdi, r8-r11} and the flags; {@code rbx, rbp, r12-r15} and
 * {@code rsp} are preserved. {@code rsp} must be 16-byte aligned at the call
 * instruction.
 *
 * <p>Buffers are byte arrays: a pointer to a 64-bit length word followed by
 * that many bytes. See {@code docs/abi.md}.
 */
public enum Service {
    /** {@code exit(status)}: ends the process; does not return. */
    EXIT(1),
    /** {@code read(fd, buf, count)}: count must be at most buf's length (else -EFAULT). */
    READ(3),
    /** {@code write(fd, buf, count)}: count must be at most buf's length (else -EFAULT). */
    WRITE(3),
    /** {@code open(path, flags, mode)}: the whole of byte array {@code path} is the path (at most 4095 bytes). */
    OPEN(3),
    /** {@code close(fd)}. */
    CLOSE(1),
    /** {@code lseek(fd, offset, whence)}: returns the new offset. */
    LSEEK(3),
    /** {@code fstat(fd, buf)}: writes a 144-byte x86-64 {@code struct stat} into buf (length at least 144). */
    FSTAT(2),
    /** {@code getpid()}. */
    GETPID(0),
    /** {@code getppid()}. */
    GETPPID(0),
    /**
     * {@code alloc(size)}: fresh zero-filled memory of at least size bytes,
     * 8-byte aligned; 0 (null) if size is above 2^40 (unsigned, so negative
     * sizes too) or the memory cannot be had.
     */
    ALLOC(1),
    /** {@code clock()}: monotonic time in nanoseconds. */
    CLOCK(0),
    /**
     * {@code newbytes(n)}: a fresh byte array of n zero bytes (its length word
     * set to n); 0 (null) if n is above 2^40 (unsigned) or the memory cannot be had.
     */
    NEWBYTES(1),
    /**
     * {@code newwords(n)}: a fresh word array of n zero words (its length word
     * set to n); 0 (null) if n is above 2^40 (unsigned) or the memory cannot be had.
     */
    NEWWORDS(1),
    /**
     * {@code stop()}: ends the process because it was told to stop or ran out
     * of stack. Called only by the stop block at image offset 0 (the target of
     * every failed poll), never by a program's own instructions; does not return.
     */
    STOP(0),
    /** {@code fsync(fd)}: writes the file's data through to stable storage; 0 or -errno. */
    FSYNC(1),
    /**
     * {@code spawn(path, args)}: verifies, loads and starts the program file
     * {@code path} (the whole byte array, at most 4095 bytes) as a child
     * process. Its argument 0 is {@code path}; its further arguments are the
     * pieces of byte array {@code args}, each terminated by a NUL byte (an
     * empty array: none; at most 255 pieces). Returns the child's pid, or
     * -errno: ENOEXEC if the file is not a ring0 executable or does not verify.
     */
    SPAWN(2),
    /**
     * {@code wait(pid)}: waits until child {@code pid} has ended and returns
     * its exit status (0-255; 128+n for a process ended by signal n), or
     * -ECHILD if {@code pid} is not a child not yet waited for.
     */
    WAIT(1),
    /**
     * {@code kill(pid)}: ends process {@code pid} as SIGKILL would (its status
     * becomes 137). -EINVAL for {@code pid <= 0}, -ESRCH if there is no such
     * process; the kernel lets a process end only itself and its children (-EPERM).
     */
    KILL(1);

    /** Number of arguments (in rdi, rsi, rdx, rcx). */
    public final int arity;

    Service(int arity) { this.arity = arity; }

    /** The import name, e.g. {@code write}. */
    public String importName() { return name().toLowerCase(Locale.ROOT); }

    /** The service with import name {@code name}, or {@code null}. */
    public static Service byName(String name) {
        for (Service s : values()) if (s.importName().equals(name)) return s;
        return null;
    }
}
