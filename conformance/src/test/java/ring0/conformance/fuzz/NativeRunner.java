package ring0.conformance.fuzz;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs an executable as a Linux child process and reports exactly how it ended:
 * its exit status, or the signal that killed it, or that it ran out of time.
 *
 * <p>{@link Process#exitValue()} cannot tell {@code exit(139)} from death by
 * SIGSEGV (both read 139), and a mutant may well exit with any status. So the
 * child is started with {@code posix_spawn} through the foreign function API
 * and reaped with {@code waitpid}, whose raw status says which it was. The
 * child gets default signal dispositions, an empty signal mask, no file
 * descriptors of this JVM but 0, 1 and 2 (opened on the files given), a clean
 * environment, and, through {@code /bin/sh -c 'ulimit ...; exec'}, no core
 * dumps and bounded file size, address space and CPU time. The pid stays the
 * same across the {@code exec}, so the status is the program's own.
 *
 * <p>Spawning is serialised with writing executables ({@link #SPAWN_LOCK}), so
 * no child can inherit, even for a moment, a descriptor of an executable still
 * open for writing (which would make its {@code exec} fail with ETXTBSY).
 */
final class NativeRunner {
    private NativeRunner() {}

    /** Take this lock while writing an executable that a child will run, so no spawn overlaps the write. */
    static final Object SPAWN_LOCK = new Object();

    /** How a child process ended. */
    sealed interface Outcome {
        /** It exited (returned from main or called exit) with {@code status}. */
        record Exited(int status) implements Outcome {
            @Override
            public String toString() { return "exit " + status; }
        }

        /** A signal killed it. */
        record Signaled(int signal) implements Outcome {
            @Override
            public String toString() { return "killed by " + signalName(signal); }
        }

        /** It was still running at the timeout and was killed. */
        record TimedOut() implements Outcome {
            @Override
            public String toString() { return "timeout"; }
        }
    }

    /**
     * What to run.
     *
     * @param exe       the executable
     * @param args      arguments after argv[0] (which is {@code exe})
     * @param cwd       working directory
     * @param stdin     file for descriptor 0
     * @param stdout    file for descriptor 1 (truncated)
     * @param stderr    file for descriptor 2 (truncated)
     * @param env       the whole environment
     * @param timeoutMs wall-clock limit in milliseconds
     */
    record Spec(Path exe, List<String> args, Path cwd, Path stdin, Path stdout, Path stderr,
                Map<String, String> env, long timeoutMs) {}

    /** Signals that mean the program did something the checker must have ruled out. */
    static boolean isCrash(int signal) {
        return signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE;
    }

    static final int SIGILL = 4, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11,
            SIGPIPE = 13, SIGXCPU = 24, SIGXFSZ = 25;

    static String signalName(int signal) {
        return switch (signal) {
            case SIGILL -> "SIGILL";
            case SIGABRT -> "SIGABRT";
            case SIGBUS -> "SIGBUS";
            case SIGFPE -> "SIGFPE";
            case SIGKILL -> "SIGKILL";
            case SIGSEGV -> "SIGSEGV";
            case SIGPIPE -> "SIGPIPE";
            case SIGXCPU -> "SIGXCPU";
            case SIGXFSZ -> "SIGXFSZ";
            default -> "signal " + signal;
        };
    }

    /**
     * The shell prefix: no core files, at most 16 MiB per file written, 1 GiB of
     * address space, 10 s of CPU; then the program replaces the shell.
     */
    private static final String LIMITS = "ulimit -c 0; ulimit -f 32768; ulimit -v 1048576; ulimit -t 10; exec ";

    /** If this JVM runs as root, children run as nobody (so a mutant cannot write where it should not). */
    private static final String DROP = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups -- ";

    private static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_TRUNC = 01000;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int WNOHANG = 1;
    /** Generous upper bounds of glibc's opaque posix_spawn types and sigset_t (80, 336 and 128 bytes). */
    private static final long OPAQUE = 1024;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SPAWN = fn("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = fn("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = fn("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_OPEN = fn("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_CHDIR = fn("posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FA_CLOSEFROM = fn("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle AT_INIT = fn("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle AT_DESTROY = fn("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle AT_FLAGS = fn("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle AT_SIGDEF = fn("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle AT_SIGMASK = fn("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGFILL = fn("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGEMPTY = fn("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle WAITPID = fn("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = fn("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETUID = fn("getuid", FunctionDescriptor.of(JAVA_INT));
    private static final boolean ROOT = uid() == 0;

    static {
        if (ROOT && !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            throw new IllegalStateException("running as root, and /usr/bin/setpriv (util-linux) is missing: "
                    + "will not run mutants as root");
        }
    }

    private static int uid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getuid failed", t);
        }
    }

    /** Whether children run as nobody because this JVM runs as root. */
    static boolean dropsPrivileges() { return ROOT; }

    @SuppressWarnings("restricted")
    private static MethodHandle fn(String name, FunctionDescriptor d) {
        MemorySegment sym = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name + " (glibc 2.34 or newer is needed)"));
        return LINKER.downcallHandle(sym, d);
    }

    /** Runs {@code spec} to completion or timeout. */
    static Outcome run(Spec spec) {
        try (Arena arena = Arena.ofConfined()) {
            int pid = spawn(spec, arena);
            MemorySegment status = arena.allocate(JAVA_INT);
            long deadline = System.nanoTime() + spec.timeoutMs() * 1_000_000;
            long pause = 20_000;
            while (true) {
                int r = (int) WAITPID.invokeExact(pid, status, WNOHANG);
                if (r == pid) return decode(status.get(JAVA_INT, 0));
                if (r < 0) throw new IllegalStateException("waitpid(" + pid + ") failed");
                if (System.nanoTime() > deadline) {
                    int k = (int) KILL.invokeExact(pid, SIGKILL);
                    int w = (int) WAITPID.invokeExact(pid, status, 0);
                    if (k != 0 || w != pid) throw new IllegalStateException("cannot kill and reap pid " + pid);
                    // It may have ended on its own between the last poll and the kill.
                    Outcome o = decode(status.get(JAVA_INT, 0));
                    return o instanceof Outcome.Signaled(int s) && s == SIGKILL ? new Outcome.TimedOut() : o;
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, 5_000_000);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }

    private static Outcome decode(int status) {
        int low = status & 0x7f;
        if (low == 0) return new Outcome.Exited((status >> 8) & 0xff);
        if (low != 0x7f) return new Outcome.Signaled(low);
        throw new IllegalStateException("child stopped, status 0x" + Integer.toHexString(status));
    }

    private static int spawn(Spec spec, Arena arena) throws Throwable {
        MemorySegment fa = arena.allocate(OPAQUE, 16), attr = arena.allocate(OPAQUE, 16);
        MemorySegment all = arena.allocate(OPAQUE, 16), none = arena.allocate(OPAQUE, 16);
        check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fa));
        check("posix_spawnattr_init", (int) AT_INIT.invokeExact(attr));
        try {
            int mode = 0644;
            check("addopen stdin", (int) FA_OPEN.invokeExact(fa, 0, cstr(arena, spec.stdin()), O_RDONLY, 0));
            check("addopen stdout", (int) FA_OPEN.invokeExact(fa, 1, cstr(arena, spec.stdout()), O_WRONLY | O_CREAT | O_TRUNC, mode));
            check("addopen stderr", (int) FA_OPEN.invokeExact(fa, 2, cstr(arena, spec.stderr()), O_WRONLY | O_CREAT | O_TRUNC, mode));
            check("addclosefrom", (int) FA_CLOSEFROM.invokeExact(fa, 3));
            check("addchdir", (int) FA_CHDIR.invokeExact(fa, cstr(arena, spec.cwd())));
            check("sigfillset", (int) SIGFILL.invokeExact(all));
            check("sigemptyset", (int) SIGEMPTY.invokeExact(none));
            check("setsigdefault", (int) AT_SIGDEF.invokeExact(attr, all));
            check("setsigmask", (int) AT_SIGMASK.invokeExact(attr, none));
            check("setflags", (int) AT_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));

            String script = LIMITS + (ROOT ? DROP : "") + "\"$0\" \"$@\"";
            List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, spec.exe().toString()));
            argv.addAll(spec.args());
            List<String> envp = new ArrayList<>();
            spec.env().forEach((k, v) -> envp.add(k + "=" + v));
            MemorySegment pid = arena.allocate(JAVA_INT);
            int r;
            synchronized (SPAWN_LOCK) {
                r = (int) SPAWN.invokeExact(pid, cstr(arena, "/bin/sh"), fa, attr, strings(arena, argv), strings(arena, envp));
            }
            check("posix_spawn", r);
            return pid.get(JAVA_INT, 0);
        } finally {
            int a = (int) FA_DESTROY.invokeExact(fa), b = (int) AT_DESTROY.invokeExact(attr);
            if (a != 0 || b != 0) throw new IllegalStateException("cannot free posix_spawn state");
        }
    }

    private static void check(String what, int r) {
        if (r != 0) throw new IllegalStateException(what + " failed with error " + r);
    }

    private static MemorySegment cstr(Arena arena, Path p) {
        return cstr(arena, p.toAbsolutePath().toString());
    }

    private static MemorySegment cstr(Arena arena, String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL in " + s);
        return arena.allocateFrom(s);
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> ss) {
        MemorySegment arr = arena.allocate(ADDRESS, ss.size() + 1);
        for (int i = 0; i < ss.size(); i++) arr.setAtIndex(ADDRESS, i, cstr(arena, ss.get(i)));
        arr.setAtIndex(ADDRESS, ss.size(), MemorySegment.NULL);
        return arr;
    }
}
