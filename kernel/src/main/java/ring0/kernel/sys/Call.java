package ring0.kernel.sys;

import ring0.kernel.load.Trampoline;

/**
 * TRUSTED. The system-call table: every service the kernel serves, by import
 * name, with its arity and the kind of trampoline behind its slot. A call's
 * number is its ordinal; the dispatcher checks it against this table before
 * anything else.
 *
 * <p>The names are those of {@code ring0.abi.Service} and docs/types.md §10.
 * The table is keyed by name rather than by {@code Service} constant so that
 * the kernel states in one place what it serves, independently of which
 * services the ELF reader already knows.
 */
public enum Call {
    /** {@code exit(status)}: records the status and abandons the program. */
    EXIT("exit", 1),
    /** {@code read(fd, buf, count)}. */
    READ("read", 3),
    /** {@code write(fd, buf, count)}. */
    WRITE("write", 3),
    /** {@code open(path, flags, mode)}. */
    OPEN("open", 3),
    /** {@code close(fd)}. */
    CLOSE("close", 1),
    /** {@code lseek(fd, offset, whence)}. */
    LSEEK("lseek", 3),
    /** {@code fstat(fd, buf)}. */
    FSTAT("fstat", 2),
    /** {@code getpid()}: native fast path. */
    GETPID("getpid", 0),
    /** {@code getppid()}: native fast path. */
    GETPPID("getppid", 0),
    /** {@code alloc(size)}: fresh zeroed memory counted against the quota. */
    ALLOC("alloc", 1),
    /** {@code clock()}: monotonic nanoseconds. */
    CLOCK("clock", 0),
    /** {@code stop()}: called by the stop block when a poll fails; abandons the program. */
    STOP("stop", 0),
    /** {@code newbytes(n)}: a zeroed byte array of length n. */
    NEWBYTES("newbytes", 1),
    /** {@code newwords(n)}: a zeroed word array of length n. */
    NEWWORDS("newwords", 1),
    /** {@code fsync(fd)}: writes the file's dirty pages back and forces the host file. */
    FSYNC("fsync", 1),
    /** {@code spawn(path, args)}: verifies, loads and starts a child process. */
    SPAWN("spawn", 2),
    /** {@code wait(pid)}: waits for a child to end and returns its status. */
    WAIT("wait", 1),
    /** {@code kill(pid)}: ends the process itself or one of its children. */
    KILL("kill", 1);

    private static final Call[] BY_NUMBER = values();

    /** The import name. */
    public final String importName;
    /** Number of argument registers used (rdi, rsi, rdx, rcx). */
    public final int arity;

    Call(String importName, int arity) {
        this.importName = importName;
        this.arity = arity;
    }

    /** The call with import name {@code name}, or {@code null} if the kernel does not serve it. */
    public static Call byName(String name) {
        for (Call c : BY_NUMBER) if (c.importName.equals(name)) return c;
        return null;
    }

    /** The call numbered {@code n}, or {@code null} if {@code n} is outside the table. */
    static Call byNumber(long n) {
        return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[(int) n] : null;
    }

    /**
     * The trampoline for this call's slot. With {@code fastPath} false,
     * getpid and getppid go through the upcall like everything else (for
     * measuring the upcall path).
     */
    public Trampoline trampoline(boolean fastPath) {
        return switch (this) {
            case EXIT, STOP -> new Trampoline.Final(ordinal(), arity);
            case GETPID -> fastPath ? new Trampoline.Native(Trampoline.Word.PID) : new Trampoline.Upcall(ordinal(), arity);
            case GETPPID -> fastPath ? new Trampoline.Native(Trampoline.Word.PPID) : new Trampoline.Upcall(ordinal(), arity);
            case READ, WRITE, OPEN, CLOSE, LSEEK, FSTAT, ALLOC, CLOCK, NEWBYTES, NEWWORDS, FSYNC,
                 SPAWN, WAIT, KILL ->
                    new Trampoline.Upcall(ordinal(), arity);
        };
    }
}
